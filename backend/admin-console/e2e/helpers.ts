import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const screenshots = process.env.CONSOLE_SCREENSHOTS ?? 'test-results/screenshots';

/** Signs a simulator user in to the mini-program API, as the phone would; answers its bearer token. */
export async function miniProgramToken(request: APIRequestContext, user: string): Promise<string> {
  const response = await request.post('/api/auth/sign-in', { data: { code: `${user}#${crypto.randomUUID()}` } });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).accessToken as string;
}

/** What the mini-program does after scanning the console's QR code. */
export async function confirmTicket(request: APIRequestContext, token: string, ticket: string) {
  return request.post('/api/console/login-tickets/confirm', { data: { ticket }, headers: { Authorization: `Bearer ${token}` } });
}

/** Opens the console, reads the ticket its QR code holds, confirms it as <paramref name="user"/>, waits for the dashboard. */
export async function signIn(page: Page, request: APIRequestContext, user: string): Promise<void> {
  await page.goto('/admin/');
  const qr = page.getByTestId('qr');
  await expect(qr).toBeVisible();
  const ticket = (await qr.getAttribute('data-ticket'))!;
  const confirmed = await confirmTicket(request, await miniProgramToken(request, user), ticket);
  expect(confirmed.status()).toBe(200);
  await expect(page.getByTestId('who')).toBeVisible({ timeout: 15_000 });
}

/** Fails the test on a Content-Security-Policy violation or an error the page logs. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/401|410|Failed to load resource/.test(message.text())) {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** The text box of a form control, whether Element Plus put the test id on the box itself or on its wrapper. */
export function field(page: Page, testId: string) {
  return page.locator(`input[data-testid="${testId}"], textarea[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}
