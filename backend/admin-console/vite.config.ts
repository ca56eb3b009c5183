import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// Served by the API at /admin/; `npm run dev` proxies the API of scripts/run.sh.
export default defineConfig({
  base: '/admin/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/admin/api': 'http://127.0.0.1:5080' },
  },
});
