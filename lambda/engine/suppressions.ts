/**
 * What an operator chose not to hear about: checks excluded from the audit, and findings muted by id
 * or by check and resource glob, each with a reason and an optional expiry (peers: Prowler's
 * mutelist, cfn-lint ignores, cdk-nag suppressions). The CLI reads them from --exclude-checks and
 * --mute-file, the Lambda from its SUPPRESSIONS environment variable: the same JSON, the same rules.
 */
import { closest } from 'fastest-levenshtein';
import { z } from 'zod';
import type { Finding, MutedFinding } from '../domain/types';

/** Longest resource glob: an ARN is at most 2048 characters; a glob longer than that is a mistake. */
export const MAX_GLOB_LENGTH = 2048;

export const muteRuleSchema = z
  .strictObject({
    findingId: z.string().min(1, { error: 'must be a finding id' }).optional(),
    checkId: z.string().min(1, { error: 'must be a check id' }).optional(),
    /** A glob on the resource ARN: `*` matches any run of characters (slashes included), `?` one. */
    resource: z
      .string()
      .min(1, { error: 'must be an ARN or an ARN glob' })
      .max(MAX_GLOB_LENGTH, { error: `must be at most ${MAX_GLOB_LENGTH} characters` })
      .optional(),
    /** Only findings of this account (organization reports hold several). */
    account: z
      .string()
      .regex(/^\d{12}$/, { error: 'must be a 12-digit account id' })
      .optional(),
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

/** Check ids that name no real check, each with the nearest real one; none when all are known. */
function unknownCheckProblems(ids: readonly string[], knownChecks: readonly string[]): string[] {
  const unknown = [...new Set(ids)].filter((id) => !knownChecks.includes(id));
  if (unknown.length === 0) return [];
  const hints = unknown.map((id) => `${id} (did you mean ${closest(id, [...knownChecks])}?)`);
  return [`no such check: ${hints.join(', ')}; api-network-auditor --list-checks lists them`];
}

/** Parses and checks the mute file's JSON; check ids must name real checks. */
function parseMuteFile(json: string, source: string, knownChecks: readonly string[]): Suppressions {
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
  const unknown = unknownCheckProblems(
    [
      ...parsed.data.excludeChecks,
      ...parsed.data.mutes.flatMap((rule) => (rule.checkId ? [rule.checkId] : [])),
    ],
    knownChecks,
  );
  if (unknown.length > 0) throw new InvalidSuppressionsError(source, unknown);
  return parsed.data;
}

/**
 * What each surface was given: the mute file's JSON (the CLI's --mute-file, the Lambda's
 * SUPPRESSIONS) and check ids left out by a flag (the CLI's --exclude-checks), each named by where it
 * came from so that an error points at it.
 */
export interface SuppressionInputs {
  muteFile?: { json: string; source: string };
  excludeChecks?: { ids: readonly string[]; source: string };
}

/**
 * The one loader and validator of every surface (CLI and Lambda): the mute file parsed and checked,
 * every check id held to the real checks, the flag's exclusions added. Undefined when nothing was
 * given; an InvalidSuppressionsError naming the source and each problem when anything is wrong.
 */
export function loadSuppressions(
  inputs: SuppressionInputs,
  knownChecks: readonly string[],
): Suppressions | undefined {
  const excluded = inputs.excludeChecks;
  if (!inputs.muteFile && !excluded?.ids.length) return undefined;
  if (excluded) {
    const unknown = unknownCheckProblems(excluded.ids, knownChecks);
    if (unknown.length > 0) throw new InvalidSuppressionsError(excluded.source, unknown);
  }
  const fromFile = inputs.muteFile
    ? parseMuteFile(inputs.muteFile.json, inputs.muteFile.source, knownChecks)
    : NO_SUPPRESSIONS;
  return {
    excludeChecks: [...new Set([...fromFile.excludeChecks, ...(excluded?.ids ?? [])])],
    mutes: fromFile.mutes,
  };
}

/** `text` holds `segment` at `at`, each `?` of the segment standing for any one character. */
function segmentAt(text: string, segment: string, at: number): boolean {
  if (at + segment.length > text.length) return false;
  for (let index = 0; index < segment.length; index += 1) {
    const wanted = segment[index];
    if (wanted !== '?' && wanted !== text[at + index]) return false;
  }
  return true;
}

/** The first position at or after `from` where `segment` occurs in `text`, or -1. */
function findSegment(text: string, segment: string, from: number): number {
  if (!segment.includes('?')) return text.indexOf(segment, from);
  for (let at = from; at + segment.length <= text.length; at += 1)
    if (segmentAt(text, segment, at)) return at;
  return -1;
}

/**
 * Whether `text` matches `glob` (`*`: any run of characters, `?`: one). No regular expression and no
 * backtracking: the glob is split at its stars; the first piece must start the text, the last end it,
 * and each piece between is taken at its leftmost occurrence after the previous one. Leftmost is
 * always right (a later occurrence leaves less room for what follows, never more), so each piece is
 * searched once, moving forward only: at most |text| x |glob| character comparisons, whatever the glob.
 */
export function globMatches(glob: string, text: string): boolean {
  const pieces = glob.split('*');
  const first = pieces[0] ?? '';
  if (pieces.length === 1) return first.length === text.length && segmentAt(text, first, 0);
  const last = pieces[pieces.length - 1] ?? '';
  if (first.length + last.length > text.length) return false;
  if (!segmentAt(text, first, 0) || !segmentAt(text, last, text.length - last.length)) return false;
  let position = first.length;
  const end = text.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    if (piece === '') continue;
    const found = findSegment(text.slice(0, end), piece, position);
    if (found < 0) return false;
    position = found + piece.length;
  }
  return true;
}

const isExpired = (rule: MuteRule, now: Date): boolean =>
  rule.expires !== undefined && new Date(rule.expires).getTime() <= now.getTime();

function matches(rule: MuteRule, finding: Finding): boolean {
  if (rule.account !== undefined && rule.account !== finding.account) return false;
  if (rule.findingId !== undefined) return rule.findingId === finding.id;
  if (rule.checkId !== finding.checkId) return false;
  return rule.resource === undefined || globMatches(rule.resource, finding.resourceArn);
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
      ...(finding.account ? { account: finding.account } : {}),
      resourceArn: finding.resourceArn,
      reason: rule.reason,
      ...(rule.expires ? { expires: rule.expires } : {}),
    });
  }
  return { findings: kept, muted, expired: expiredRules(suppressions, now) };
}
