/**
 * What an operator chose not to hear about: checks excluded from the audit, and findings muted by id
 * or by check and resource glob, each with a reason and an optional expiry (peers: Prowler's
 * mutelist, cfn-lint ignores, cdk-nag suppressions). The CLI reads them from --exclude-checks and
 * --mute-file, the Lambda from its SUPPRESSIONS environment variable: the same JSON, the same rules.
 */
import { z } from 'zod';
import type { Finding, MutedFinding } from '../domain/types';

export const muteRuleSchema = z
  .strictObject({
    findingId: z.string().min(1, { error: 'must be a finding id' }).optional(),
    checkId: z.string().min(1, { error: 'must be a check id' }).optional(),
    /** A glob on the resource ARN: `*` matches any run of characters (slashes included), `?` one. */
    resource: z.string().min(1, { error: 'must be an ARN or an ARN glob' }).optional(),
    reason: z.string().trim().min(1, { error: 'must say why the finding is muted' }),
    expires: z.iso
      .date({ error: 'must be a date such as 2027-01-31' })
      .or(z.iso.datetime({ offset: true, error: 'must be a date or an ISO 8601 time' }))
      .optional(),
  })
  .refine((rule) => rule.findingId !== undefined || rule.checkId !== undefined, {
    error: 'needs a findingId, or a checkId (with an optional resource glob)',
  });

export const suppressionsSchema = z.strictObject({
  excludeChecks: z.array(z.string().min(1)).default([]),
  mutes: z.array(muteRuleSchema).default([]),
});

export type MuteRule = z.infer<typeof muteRuleSchema>;
export type Suppressions = z.infer<typeof suppressionsSchema>;

export const NO_SUPPRESSIONS: Suppressions = { excludeChecks: [], mutes: [] };

export class InvalidSuppressionsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.join('; ')}`);
    this.name = 'InvalidSuppressionsError';
  }
}

/** Parses and checks the suppressions JSON; check ids must name real checks. */
export function parseSuppressions(
  json: string,
  source: string,
  knownChecks: readonly string[],
): Suppressions {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new InvalidSuppressionsError(source, [`is not JSON (${(error as Error).message})`]);
  }
  const parsed = suppressionsSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidSuppressionsError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'} ${issue.message}`),
    );
  }
  const unknown = [
    ...parsed.data.excludeChecks,
    ...parsed.data.mutes.flatMap((rule) => (rule.checkId ? [rule.checkId] : [])),
  ].filter((id) => !knownChecks.includes(id));
  if (unknown.length > 0) {
    throw new InvalidSuppressionsError(source, [
      `no such check: ${[...new Set(unknown)].join(', ')} (api-network-auditor --list-checks lists them)`,
    ]);
  }
  return parsed.data;
}

export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

const isExpired = (rule: MuteRule, now: Date): boolean =>
  rule.expires !== undefined && new Date(rule.expires).getTime() <= now.getTime();

function matches(rule: MuteRule, finding: Finding): boolean {
  if (rule.findingId !== undefined) return rule.findingId === finding.id;
  if (rule.checkId !== finding.checkId) return false;
  return rule.resource === undefined || globToRegExp(rule.resource).test(finding.resourceArn);
}

export interface SuppressionOutcome {
  findings: Finding[];
  muted: MutedFinding[];
  /** Rules past their expiry: their findings are reported again. */
  expired: MuteRule[];
}

export function expiredRules(suppressions: Suppressions | undefined, now: Date): MuteRule[] {
  return (suppressions?.mutes ?? []).filter((rule) => isExpired(rule, now));
}

export function applySuppressions(
  findings: readonly Finding[],
  suppressions: Suppressions,
  now: Date,
): SuppressionOutcome {
  const live = suppressions.mutes.filter((rule) => !isExpired(rule, now));
  const kept: Finding[] = [];
  const muted: MutedFinding[] = [];
  for (const finding of findings) {
    if (suppressions.excludeChecks.includes(finding.checkId)) continue;
    const rule = live.find((candidate) => matches(candidate, finding));
    if (!rule) {
      kept.push(finding);
      continue;
    }
    muted.push({
      id: finding.id,
      checkId: finding.checkId,
      status: finding.status,
      severity: finding.severity,
      resourceArn: finding.resourceArn,
      reason: rule.reason,
      ...(rule.expires ? { expires: rule.expires } : {}),
    });
  }
  return { findings: kept, muted, expired: expiredRules(suppressions, now) };
}
