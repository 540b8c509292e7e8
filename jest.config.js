/**
 * Tests run against the real PostgreSQL and Redis (test/support). SWC only
 * transpiles; `npm run lint` type-checks the tests (tsc). NestJS 12 ships ES
 * modules, which Jest's CommonJS runtime cannot require, so SWC also compiles
 * node_modules to CommonJS (cached after the first run).
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  transformIgnorePatterns: [],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
};
