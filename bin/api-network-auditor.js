#!/usr/bin/env node
// The package's `bin` entry: registers tsx's CommonJS TypeScript loader, then runs the CLI from its source.
require('tsx/cjs');
require('./cli.ts');
