/** Three projects: unit (pure, no emulator, seconds), integration (moto server), infra (CDK synth). */
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
};
const common = {
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/support/quiet-sdk.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/install-emulator.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-setup.ts'],
    },
    {
      ...common,
      displayName: 'infra',
      testMatch: ['<rootDir>/test/infra/**/*.test.ts'],
      // cfn-lint lints the synthesized template: it lives in the emulator's venv.
      globalSetup: '<rootDir>/test/support/install-emulator.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-setup.ts'],
    },
  ],
  coverageProvider: 'v8',
  collectCoverageFrom: ['lambda/**/*.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  coverageThreshold: {
    './lambda/checks/': { lines: 95, branches: 95 },
    './lambda/triage/classify-stage.ts': { lines: 95, branches: 95 },
    './lambda/engine/': { lines: 95, branches: 95 },
  },
};
