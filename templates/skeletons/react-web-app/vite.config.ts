import { defineConfig } from 'vitest/config';

export default defineConfig({
  // esbuild compiles TSX with React's automatic runtime; no plugin needed.
  esbuild: { jsx: 'automatic' },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/setupTests.ts'],
  },
});
