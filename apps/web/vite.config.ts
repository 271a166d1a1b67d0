import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by agentd at / (AGENTD_WEB_DIR): content-hashed files under /assets/, no inline script or
// style, so that the server's Content-Security-Policy can forbid both.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
