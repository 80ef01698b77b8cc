#!/usr/bin/env node
// The package's `bin` entry. A clone of the repository runs the CLI from its TypeScript source
// through tsx's CommonJS loader (a devDependency); an installed package, which ships no source,
// runs the CLI that `npm pack` compiled into dist/ (prepack: esbuild).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, 'cli.ts');
if (existsSync(source)) {
  require('tsx/cjs');
  require(source);
} else {
  require(join(__dirname, '..', 'dist', 'cli.js'));
}
