/** Jest runs TypeScript (and the ESM-only @kubernetes/client-node and vega) through swc as CommonJS. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [
    // ESM-only: client-node and its auth deps; vega, vega-lite and the d3 modules under them (charts).
    '/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose|vega|vega-[a-z-]+|d3-[a-z-]+|delaunator|internmap|robust-predicates|json-stringify-pretty-compact)/)',
  ],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // vega-canvas's node build probes for the optional `canvas` package with a top-level await, which
    // CommonJS cannot run; without `canvas` installed both builds give "no canvas" (text widths estimated).
    '^vega-canvas$': '<rootDir>/node_modules/vega-canvas/build/vega-canvas.browser.js',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  // Once every suite has reported, end the process even if a handle is left open: one CI run passed
  // all 124 suites and then hung until CI's limit ("Jest did not exit one second after the test run
  // has completed"). --detectOpenHandles locally found none; a leak shows up there, not as a hung CI.
  forceExit: true,
};
