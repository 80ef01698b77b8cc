/**
 * `npm run member-alarms-template [-- --out <file>]`: writes the member-account, per-Region alarm
 * template (lib/member-stage-alarms-stack.ts) that CloudFormation StackSets deploys to every Region.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { memberStageAlarmsTemplate } from '../lib/member-stage-alarms-stack';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'member-stage-alarms.template.json' } },
});
writeFileSync(values.out, `${JSON.stringify(memberStageAlarmsTemplate(), null, 2)}\n`);
console.log(`Member-account alarm template written to ${values.out}`);
