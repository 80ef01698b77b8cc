/**
 * What the Lambda accepts as its event: the EventBridge scheduled event (run with the deployed
 * defaults) or a console test event that narrows or widens one run. Validated before any AWS call.
 *
 * A manual run that narrows the audit (apiIds, regions, lookbackMinutes) or widens the checks
 * (allChecks) is a dry run unless it says `"commit": true`: its report is not the deployed audit, so
 * remembering it would mark findings outside it resolved (an "[ALL CLEAR]" the next scheduled run
 * takes back). An event with `source` is a scheduled event and takes no manual field: a `dryRun` next
 * to it would otherwise be ignored.
 */
import { z } from 'zod';
import { apiIdSchema, lookbackMinutesSchema, lookbackProblem, regionSchema } from './audit-input';

export { REGION_NAME } from './audit-input';

export const manualEventSchema = z.strictObject({
  apiIds: z
    .array(apiIdSchema)
    .min(1, { error: 'must list at least one API id (omit it to audit every API)' })
    .optional(),
  regions: z
    .array(regionSchema)
    .min(1, { error: 'must list at least one Region (omit it for the deployed Regions)' })
    .optional(),
  lookbackMinutes: lookbackMinutesSchema.optional(),
  allChecks: z.boolean({ error: 'must be true or false' }).optional(),
  dryRun: z.boolean({ error: 'must be true or false' }).optional(),
  commit: z.boolean({ error: 'must be true or false' }).optional(),
});

const MANUAL_FIELDS = Object.keys(manualEventSchema.shape);
/** The fields of an EventBridge event (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html). */
const EVENTBRIDGE_FIELDS = [
  'version',
  'id',
  'detail-type',
  'source',
  'account',
  'time',
  'region',
  'resources',
  'detail',
];
/** Fields that make a manual run differ from the deployed audit. */
const SCOPE_FIELDS = ['apiIds', 'regions', 'lookbackMinutes', 'allChecks'] as const;

/** What one invocation asks for; absent fields keep the deployed configuration. */
export interface RunRequest {
  trigger: 'schedule' | 'manual';
  apiIds?: string[];
  regions?: string[];
  lookbackMinutes?: number;
  allChecks: boolean;
  dryRun: boolean;
  /** Why a manual run that did not ask for a dry run is one. */
  dryRunReason?: string;
}

export interface EventProblem {
  field: string;
  message: string;
}

export class InvalidEventError extends Error {
  constructor(readonly problems: EventProblem[]) {
    super(`Invalid event: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

const hasSource = (event: unknown): event is Record<string, unknown> =>
  typeof event === 'object' && event !== null && !Array.isArray(event) && 'source' in event;

/** An event with `source` must be EventBridge's own, with nothing a manual run would add. */
function parseScheduledEvent(event: Record<string, unknown>): RunRequest {
  const problems: EventProblem[] = [];
  if (event.source !== 'aws.events')
    problems.push({
      field: 'source',
      message: 'must be aws.events (the schedule), or left out for a manual run',
    });
  for (const key of Object.keys(event).filter((key) => !EVENTBRIDGE_FIELDS.includes(key)))
    problems.push({
      field: key,
      message: MANUAL_FIELDS.includes(key)
        ? 'cannot be combined with source (a scheduled event runs the deployed audit): remove source for a manual run'
        : 'is not a field of an EventBridge scheduled event',
    });
  if (problems.length) throw new InvalidEventError(problems);
  return { trigger: 'schedule', allChecks: false, dryRun: false };
}

function describeIssue(issue: z.core.$ZodIssue): EventProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: [...issue.path, key].join('.'),
      message: `is not a field this function accepts (${MANUAL_FIELDS.join(', ')})`,
    }));
  }
  return [{ field: issue.path.length > 0 ? issue.path.join('.') : '(event)', message: issue.message }];
}

/**
 * Reads the invocation event. `periodSeconds` (the deployed period) bounds a manual lookback: it must
 * cover whole periods. Throws InvalidEventError naming every offending field.
 */
export function parseInvocationEvent(event: unknown, periodSeconds?: number): RunRequest {
  if (hasSource(event)) return parseScheduledEvent(event);
  const input = event === undefined || event === null ? {} : event;
  const parsed = manualEventSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap(describeIssue);
    throw new InvalidEventError(
      typeof input !== 'object' || Array.isArray(input)
        ? [{ field: '(event)', message: 'must be a JSON object such as {"dryRun": true}' }]
        : problems,
    );
  }
  const { apiIds, regions, lookbackMinutes, allChecks, dryRun, commit } = parsed.data;
  const notWholePeriods =
    lookbackMinutes !== undefined && periodSeconds
      ? lookbackProblem(lookbackMinutes, periodSeconds, 'the deployed period')
      : undefined;
  if (notWholePeriods) {
    throw new InvalidEventError([{ field: 'lookbackMinutes', message: notWholePeriods }]);
  }
  const scope = SCOPE_FIELDS.filter((field) =>
    field === 'allChecks' ? allChecks === true : parsed.data[field] !== undefined,
  );
  if (commit === true && dryRun === true)
    throw new InvalidEventError([
      { field: 'commit', message: 'cannot be true with "dryRun": true: choose one' },
    ]);
  if (dryRun === false && scope.length > 0 && commit !== true)
    throw new InvalidEventError([
      {
        field: 'dryRun',
        message: `false is not enough to publish a run that changes ${scope.join(', ')}: add "commit": true (it then updates the notification state as if it were the scheduled audit)`,
      },
    ]);
  const uncommitted = scope.length > 0 && commit !== true && dryRun === undefined;
  return {
    trigger: 'manual',
    ...(apiIds ? { apiIds: [...new Set(apiIds)] } : {}),
    ...(regions ? { regions: [...new Set(regions)] } : {}),
    ...(lookbackMinutes !== undefined ? { lookbackMinutes } : {}),
    allChecks: allChecks ?? false,
    dryRun: dryRun ?? uncommitted,
    ...(uncommitted
      ? {
          dryRunReason: `a manual run that changes ${scope.join(', ')} is a dry run unless "commit": true`,
        }
      : {}),
  };
}
