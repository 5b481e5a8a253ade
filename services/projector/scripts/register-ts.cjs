// Runs TypeScript sources straight from the repository with @swc/core — the same transform jest
// uses — so the tests' child processes need no build step and no new package:
//   node -r ./services/projector/scripts/register-ts.cjs services/projector/src/main.ts
// The @flagpole/* aliases come from tsconfig.json's paths. NestJS (ESM only) loads natively
// through require(esm), exactly as it does from dist/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const paths = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')).compilerOptions.paths;
const aliases = new Map(Object.entries(paths).map(([name, [target]]) => [name, path.join(root, target)]));

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, aliases.get(request) ?? request, ...rest);
};

const options = {
  sourceMaps: 'inline',
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
  },
  module: { type: 'commonjs' },
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
