// Unit specs sit next to the code; e2e specs live in test/ and each creates its own database.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
module.exports = {
  projects: [
    { displayName: 'unit', testEnvironment: 'node', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'], transform },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Every answer of a test app is checked against the OpenAPI document (test/support/openapi-contract.ts).
      setupFilesAfterEnv: ['<rootDir>/test/support/openapi-contract.setup.ts'],
      transform,
    },
  ],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // A global option: Jest ignores it inside a project. E2e tests race hundreds of requests.
  testTimeout: 60000,
};
