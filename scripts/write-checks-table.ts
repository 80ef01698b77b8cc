/** `npm run docs:checks`: rewrites the check table of README.md from the registry. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChecksTable, withChecksTable } from '../lambda/checks/catalogue-table';
import { CHECKS } from '../lambda/checks/index';

const readmePath = join(__dirname, '..', 'README.md');
const before = readFileSync(readmePath, 'utf8');
const after = withChecksTable(before, renderChecksTable(CHECKS));
if (after !== before) writeFileSync(readmePath, after);
console.log(
  after === before
    ? 'README.md check table is up to date'
    : `README.md check table rewritten (${CHECKS.length} checks)`,
);
