/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The gateway serves the built files (dist/) at `/`; `npm run dev` proxies the API to a running stack.
const gateway = process.env.DENTAL_GATEWAY ?? 'http://127.0.0.1:5100';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': gateway, '/dev': gateway, '/app-config.json': gateway },
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
