// Three projects so CI and developers can run the fast pure tests apart from the ones that need
// the real broker and database (see README "Tests").
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@flagpole/(evaluation|domain|kafka|sdk|read-model)$': '<rootDir>/libs/$1/src/index.ts',
};
const common = {
  testEnvironment: 'node',
  // NestJS 12 ships ESM only; transform it to CommonJS for jest's module loader.
  transform: { '^.+\\.(t|j)sx?$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs)/)'],
  moduleNameMapper,
  rootDir: __dirname,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['**/*.int.spec.ts'], slowTestThreshold: 30, setupFilesAfterEnv: ['<rootDir>/test/support/jest-slow-timeout.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'], slowTestThreshold: 60, setupFilesAfterEnv: ['<rootDir>/test/support/jest-slow-timeout.ts'] },
  ],
};
