/** cfn-lint, from the emulator's venv, on a synthesized template (the stack's or the member template). */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { cfnLintCommand } from '../../scripts/emulator';

export interface CfnLintFinding {
  Rule: { Id: string };
  Level: string;
  Message: string;
  Location: { Path: (string | number)[] };
}

/**
 * cfn-lint's findings on a synthesized template. W3005 is ignored: CDK writes a DependsOn on the
 * function's role next to the GetAtt that already orders them, which CloudFormation accepts.
 */
export async function cfnLint(template: Template | object): Promise<CfnLintFinding[]> {
  const dir = mkdtempSync(join(tmpdir(), 'auditor-cfn-lint-'));
  try {
    const file = join(dir, 'template.json');
    writeFileSync(file, JSON.stringify(template instanceof Template ? template.toJSON() : template));
    const args = ['--format', 'json', '--ignore-checks', 'W3005', '--', file];
    // cfn-lint exits non-zero when it finds anything: the findings are on stdout either way.
    const stdout = await promisify(execFile)(cfnLintCommand, args).then(
      (result) => result.stdout,
      (error: { stdout?: string; stderr?: string }) => {
        if (!error.stdout) throw new Error(`cfn-lint did not run: ${error.stderr ?? String(error)}`);
        return error.stdout;
      },
    );
    return JSON.parse(stdout) as CfnLintFinding[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
