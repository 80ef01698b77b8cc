/** `npm run docs:checks`: rewrites the check table of docs/checks.md from the registry. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChecksTable, withChecksTable } from '../lambda/checks/catalogue-table';
import { CHECKS } from '../lambda/checks/index';

const readmePath = join(__dirname, '..', 'docs', 'checks.md');
const before = readFileSync(readmePath, 'utf8');
const after = withChecksTable(before, renderChecksTable(CHECKS));
if (after !== before) writeFileSync(readmePath, after);
console.log(
  after === before
    ? 'docs/checks.md check table is up to date'
    : `docs/checks.md check table rewritten (${CHECKS.length} checks)`,
);
