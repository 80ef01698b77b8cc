/**
 * Three lanes (scripts/test-lanes.ts runs them; `npm test` runs all three):
 * - unit: pure, no emulator, seconds; the only lane that collects coverage, and the gate below is its own.
 * - integration (the emulator lane): test/integration against a moto server per Jest worker, reset
 *   between test files (test/support/emulator-pool.ts); the CLI runs from one esbuild bundle.
 * - release: what ships: the packed package installed, the bundled handler, every stack variant
 *   synthesized (test/infra), the README's commands and the demo.
 * A file's folder says what it needs; the release lane's integration files are listed by name here.
 */
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
};
const common = {
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/support/quiet-sdk.ts'],
};

/** Integration files that test the shipped artifacts: they run in the release lane. */
const RELEASE_FILES = ['install-from-pack', 'bundled-handler', 'readme-commands', 'demo'].map(
  (name) => `<rootDir>/test/integration/${name}.test.ts`,
);

const emulatorProject = {
  ...common,
  globalSetup: '<rootDir>/test/support/emulator-pool.ts',
  globalTeardown: '<rootDir>/test/support/emulator-pool-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/integration-setup.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...emulatorProject,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...RELEASE_FILES],
    },
    {
      ...emulatorProject,
      displayName: 'release',
      // cfn-lint lints the synthesized templates: it lives in the emulator's venv, which the pool installs.
      testMatch: [...RELEASE_FILES, '<rootDir>/test/infra/**/*.test.ts'],
    },
  ],
  // Istanbul (babel) instruments once per file: the unit lane takes about 50 s with coverage, where v8's
  // per-test-file conversion took about 240 s on two cores. Istanbul also counts `??`, `||` and `&&`
  // as branches, so its branch figures are lower than v8's were for the same tests.
  coverageProvider: 'babel',
  collectCoverageFrom: ['lambda/**/*.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  // Met by the unit lane alone (`npm run test:unit -- --coverage`): the other lanes collect no coverage.
  // Each figure is the floor the unit tests reached (rounded down); what is left uncovered is defensive.
  coverageThreshold: {
    './lambda/checks/': { lines: 99, branches: 94 },
    './lambda/triage/classify-stage.ts': { lines: 100, branches: 100 },
    './lambda/engine/': { lines: 98, branches: 96 },
    './lambda/verdict/': { lines: 98, branches: 97 },
    './lambda/path/': { lines: 99, branches: 94 },
  },
};
