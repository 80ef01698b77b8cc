/** `npm run docs:configuration`: writes docs/configuration.md from the settings (lambda/settings). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configurationTable } from '../lambda/settings/surfaces';

writeFileSync(join(__dirname, '..', 'docs', 'configuration.md'), configurationTable());
console.log('docs/configuration.md written from lambda/settings/settings.ts');
