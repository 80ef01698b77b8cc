/**
 * What the Lambda accepts as its event: the EventBridge scheduled event (run with the deployed
 * defaults) or a console test event that narrows or widens one run. Validated before any AWS call.
 */
import { z } from 'zod';
import { apiIdSchema, lookbackMinutesSchema, lookbackProblem, regionSchema } from './audit-input';

export { API_ID, REGION_NAME } from './audit-input';

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
});

export type ManualEvent = z.infer<typeof manualEventSchema>;

/** What one invocation asks for; absent fields keep the deployed configuration. */
export interface RunRequest {
  trigger: 'schedule' | 'manual';
  apiIds?: string[];
  regions?: string[];
  lookbackMinutes?: number;
  allChecks: boolean;
  dryRun: boolean;
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

const isScheduledEvent = (event: unknown): boolean =>
  typeof event === 'object' && event !== null && (event as { source?: unknown }).source === 'aws.events';

function describeIssue(issue: z.core.$ZodIssue): EventProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: [...issue.path, key].join('.'),
      message: 'is not a field this function accepts (apiIds, regions, lookbackMinutes, allChecks, dryRun)',
    }));
  }
  return [{ field: issue.path.length > 0 ? issue.path.join('.') : '(event)', message: issue.message }];
}

/**
 * Reads the invocation event. `periodSeconds` (the deployed period) bounds a manual lookback: it must
 * cover whole periods. Throws InvalidEventError naming every offending field.
 */
export function parseInvocationEvent(event: unknown, periodSeconds?: number): RunRequest {
  if (isScheduledEvent(event)) return { trigger: 'schedule', allChecks: false, dryRun: false };
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
  const { apiIds, regions, lookbackMinutes, allChecks, dryRun } = parsed.data;
  const notWholePeriods =
    lookbackMinutes !== undefined && periodSeconds
      ? lookbackProblem(lookbackMinutes, periodSeconds, 'the deployed period')
      : undefined;
  if (notWholePeriods) {
    throw new InvalidEventError([{ field: 'lookbackMinutes', message: notWholePeriods }]);
  }
  return {
    trigger: 'manual',
    ...(apiIds ? { apiIds: [...new Set(apiIds)] } : {}),
    ...(regions ? { regions: [...new Set(regions)] } : {}),
    ...(lookbackMinutes !== undefined ? { lookbackMinutes } : {}),
    allChecks: allChecks ?? false,
    dryRun: dryRun ?? false,
  };
}
