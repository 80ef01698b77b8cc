/**
 * One item of the organization-wide fan-out: assume the member role in one account, then run the
 * same audit as the single-account stack in one Region with its credentials. Whatever stops the
 * role from being assumed (the member template not deployed, a trust policy that does not trust
 * the auditor, STS throttling past retries) is an outcome with an error that tells the operator
 * what to do, never a thrown exception: the other accounts' items must complete.
 */
import { AssumeRoleCommand, type Credentials } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { runAudit } from '../audit';
import { CallStats, createClients } from '../collect/clients';
import { AuditDeadline } from '../collect/deadline';
import type { Report } from '../domain/types';
import type { AuditTarget, AuditTargetFn, MemberAccess, TargetError } from './contract';

export const ASSUME_ROLE_ACTION = 'STS.AssumeRole';

/** What CloudTrail in the member account shows for the auditor's sessions (and which Region each is for). */
export const roleSessionName = (region: string): string => `api-network-auditor-${region}`.slice(0, 64);

/** The partition a Region belongs to (IAM ARNs name it). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}

export const memberRoleArn = (target: AuditTarget, access: MemberAccess): string =>
  `arn:${partitionOf(target.region)}:iam::${target.account}:role/${access.roleName}`;

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequests',
]);

/** The operator's next step for each way AssumeRole fails. */
function assumeRoleError(error: unknown, roleArn: string, access: MemberAccess, region: string): TargetError {
  const code = (error as { name?: string } | undefined)?.name ?? 'Error';
  const detail = error instanceof Error ? error.message : String(error);
  const base = { action: ASSUME_ROLE_ACTION, code };
  // What to do first, AWS's own words last: a rendering that cuts a long line keeps the advice.
  if (code === 'AccessDenied' || code === 'AccessDeniedException') {
    const externalId = access.externalId ? ' and the external id given' : '';
    return {
      ...base,
      message:
        `could not assume ${roleArn}: deploy the member-account template in this account (it creates the ` +
        `role ${access.roleName}), or fix the role's trust policy so that it trusts the auditor's ` +
        `account${externalId}. AWS: ${detail}`,
    };
  }
  if (code === 'RegionDisabledException') {
    return {
      ...base,
      message: `STS is not active in ${region} for the auditor's account: activate it in IAM > Account settings, or leave ${region} out. AWS: ${detail}`,
    };
  }
  if (THROTTLING_CODES.has(code)) {
    return {
      ...base,
      message: `STS throttled AssumeRole for ${roleArn} past the retries: lower the fan-out's concurrency or run again later. AWS: ${detail}`,
    };
  }
  return { ...base, message: `could not assume ${roleArn}: ${detail}` };
}

function toIdentity(credentials: Credentials | undefined): AwsCredentialIdentity | undefined {
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) return undefined;
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
  };
}

/** The STS call's count, retries and time, added to the part of the report it made possible. */
function withAssumeRoleStats(report: Report, stats: CallStats, durationMs: number): Report {
  const awsCalls = { ...report.stats.awsCalls };
  for (const [key, count] of Object.entries(stats.calls)) awsCalls[key] = (awsCalls[key] ?? 0) + count;
  return {
    ...report,
    stats: {
      durationMs: report.stats.durationMs + durationMs,
      awsCalls,
      retries: report.stats.retries + stats.retries,
    },
  };
}

type Assumed =
  | { ok: true; credentials: AwsCredentialIdentity | undefined }
  | { ok: false; error: TargetError };

export const auditTarget: AuditTargetFn = async (target, access, base) => {
  const started = Date.now();
  const stats = new CallStats();
  const roleArn = memberRoleArn(target, access);
  const deadline = base.deadline === undefined ? undefined : new AuditDeadline(base.deadline);
  let assumed: Assumed;
  try {
    assumed = deadline?.passed()
      ? // No credentials are needed: runAudit makes no call past its deadline, and says so in the report.
        { ok: true, credentials: undefined }
      : await assumeMemberRole(target, access, base, roleArn, stats, deadline);
  } finally {
    deadline?.dispose();
  }
  if (!assumed.ok) return { target, error: assumed.error };
  const report = await runAudit({
    ...base,
    regions: [target.region],
    account: target.account,
    ...(assumed.credentials ? { credentials: assumed.credentials } : {}),
  });
  return {
    target,
    report: withAssumeRoleStats(report, stats, Date.now() - started - report.stats.durationMs),
  };
};

async function assumeMemberRole(
  target: AuditTarget,
  access: MemberAccess,
  base: Parameters<AuditTargetFn>[2],
  roleArn: string,
  stats: CallStats,
  deadline: AuditDeadline | undefined,
): Promise<Assumed> {
  const plugins = [...(deadline ? [deadline.plugin()] : []), ...(base.plugins ?? [])];
  const { sts } = createClients(
    {
      region: target.region,
      ...(base.endpoint ? { endpoint: base.endpoint } : {}),
      ...(access.callerCredentials ? { credentials: access.callerCredentials } : {}),
      ...(plugins.length > 0 ? { plugins } : {}),
      ...(deadline ? { abortSignal: deadline.signal } : {}),
    },
    stats,
  );
  try {
    const answer = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: roleSessionName(target.region),
        ...(access.externalId ? { ExternalId: access.externalId } : {}),
      }),
    );
    const credentials = toIdentity(answer.Credentials);
    if (!credentials) {
      return {
        ok: false,
        error: {
          action: ASSUME_ROLE_ACTION,
          code: 'NoCredentials',
          message: `STS answered AssumeRole for ${roleArn} without credentials; run again later.`,
        },
      };
    }
    return { ok: true, credentials };
  } catch (error) {
    // The time budget ran out during the call: an incomplete part (runAudit says why), not a role problem.
    if ((error as Error | undefined)?.name === 'DeadlineExceeded')
      return { ok: true, credentials: undefined };
    return { ok: false, error: assumeRoleError(error, roleArn, access, target.region) };
  } finally {
    sts.destroy();
  }
}
