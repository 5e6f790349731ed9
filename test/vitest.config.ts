import { defineConfig } from 'vitest/config'

// Node project: compiler, engine and conformance tests. Workers-runtime tests live in
// test/workers and have their own config (vitest pool for workerd).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/workers/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
