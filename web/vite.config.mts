import { defineConfig } from 'vite';

/**
 * The console's build (issue 17). The API serves web/dist (src/core/http/web-console.ts):
 * every <script>, <link> and <style> Vite writes carries the nonce placeholder the server
 * replaces per request, so the page runs under a CSP without 'unsafe-inline'.
 * `npm run web:dev` proxies the API to a server on :3000.
 */
export default defineConfig({
  base: '/',
  html: { cspNonce: '__CSP_NONCE__' },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Mantine marks its modules "use client" for React Server Components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
