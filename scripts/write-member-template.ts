/**
 * `npm run member-template [-- --out <file>] [--access-log-group-prefix <prefix>]`: writes the
 * member-account template (lib/member-audit-role-stack.ts) that CloudFormation StackSets deploys.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { memberAuditRoleTemplate } from '../lib/member-audit-role-stack';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'member-audit-role.template.json' },
    'access-log-group-prefix': { type: 'string' },
  },
});
const prefix = values['access-log-group-prefix'];
const template = memberAuditRoleTemplate(prefix ? { accessLogGroupPrefix: prefix } : {});
writeFileSync(values.out, `${JSON.stringify(template, null, 2)}\n`);
console.log(`Member-account template written to ${values.out}`);
