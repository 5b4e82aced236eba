import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console is built into dist/ (served by the MES at /). Every page is its own chunk (route
 * lazy-loading); antd, echarts and React go into shared vendor chunks so a page's chunk holds only
 * its own code. The manifest lets the bench count what the first page downloads.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/v1': 'http://127.0.0.1:8080',
      '/openapi.json': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
    },
  },
});
