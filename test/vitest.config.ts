import { defineConfig } from 'vitest/config'

// One run for everything: compiler, engine and conformance tests, and the Worker tests in
// test/workers (they run the real Worker in workerd through Miniflare, driven from Node).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
