#!/usr/bin/env node
// The package's `bin` entry: registers tsx's CommonJS TypeScript loader, then runs the CLI from its source.
// The lockfile pins SDK releases that still run on Node 20; their notice about Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('./cli.ts');
