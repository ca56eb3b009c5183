import { defineConfig } from '@playwright/test';

// Debian's chromium (no browser download is possible here); the console and API started by scripts/console-test.sh.
export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  workers: 1,
  outputDir: process.env.CONSOLE_TEST_OUTPUT ?? 'test-results',
  reporter: [['list'], ['junit', { outputFile: process.env.CONSOLE_TEST_JUNIT ?? 'test-results/junit.xml' }]],
  use: {
    baseURL: process.env.CONSOLE_URL ?? 'http://127.0.0.1:5080',
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    acceptDownloads: true,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
