/** `npm run docs:configuration`: rewrites the settings section of docs/configuration.md from lambda/settings. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withConfigurationTable } from '../lambda/settings/surfaces';

const path = join(__dirname, '..', 'docs', 'configuration.md');
const before = readFileSync(path, 'utf8');
const after = withConfigurationTable(before);
if (after !== before) writeFileSync(path, after);
console.log(
  after === before ? 'docs/configuration.md is up to date' : 'docs/configuration.md settings rewritten',
);
