import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // dist/ (compiled CLI, browser bundles) rebuilt when src/ changed: bin/build.mjs.
    globalSetup: ['test/helpers/build-setup.ts'],
    // In CI a JSON report is written too, from which .ci/run prints its closing line.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
      : ['default'],
  },
});
