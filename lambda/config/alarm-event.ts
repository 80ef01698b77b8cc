/**
 * The EventBridge event a stage's 5xx alarm sends (lib/stage-error-alarms.ts): a "CloudWatch Alarm
 * Contributor State Change" of a Metrics Insights alarm grouped by `ApiName, Stage` (REST) or
 * `ApiId, Stage` (HTTP APIs). Shapes from the CloudWatch guide "Alarm events and EventBridge"
 * (section "Multi Time Series Alarm"). Validated before any AWS call, like the console payload.
 *
 * Only contributor events name a stage: the alarm-level "CloudWatch Alarm State Change" of a
 * multi time series alarm carries a count ("2 out of 6 time series evaluated to ALARM") and is sent
 * only when the alarm as a whole changes state, so a second stage failing while the alarm is
 * already in ALARM would go unseen. The rule therefore sends contributor events, and this parser
 * refuses the alarm-level one with a reason instead of guessing which stages it means.
 */
import { z } from 'zod';
import type { StageMetricKey } from '../triage/read-traffic';
import { type EventProblem, InvalidEventError, REGION_NAME } from './manual-event';

export const CLOUDWATCH_SOURCE = 'aws.cloudwatch';
export const CONTRIBUTOR_STATE_CHANGE = 'CloudWatch Alarm Contributor State Change';
export const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';

/** The alarm-triggered audit reads one-minute periods (the alarm's own) over this many minutes ending now. */
export const ALARM_LOOKBACK_MINUTES = 15;
export const ALARM_PERIOD_SECONDS = 60;

/** What CloudWatch allows in a contributor attribute value (API reference, `AlarmContributor`). */
const ATTRIBUTE_VALUE = z.string().min(1).max(1024);
/**
 * An `ApiId` dimension value: checked for its alphabet (nothing that could add a line or a link to
 * a message), not for AWS's 10 characters: it is only ever looked up among the ids GetApis returns,
 * so a wrong one audits nothing. (The emulator's ids have 8 letters.)
 */
const METRIC_API_ID = /^[a-z0-9]{1,64}$/;
/** Stage names: letters, digits, `-`, `_` (REST and HTTP), and HTTP's `$default`. */
const STAGE_NAME = /^(\$default|[A-Za-z0-9_-]{1,128})$/;

const stateSchema = z.looseObject({
  value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  reason: z.string().optional(),
  timestamp: z.string(),
});

const envelopeSchema = z.looseObject({
  version: z.string(),
  id: z.string().min(1),
  'detail-type': z.string(),
  source: z.literal(CLOUDWATCH_SOURCE),
  account: z.string().regex(/^\d{12}$/, { error: 'must be a 12-digit account id' }),
  time: z.iso.datetime({ error: 'must be an ISO 8601 time' }),
  region: z.string().regex(REGION_NAME, { error: 'must be a Region name such as us-east-1' }),
  resources: z.array(z.string()),
});

const contributorEventSchema = envelopeSchema.extend({
  'detail-type': z.literal(CONTRIBUTOR_STATE_CHANGE),
  detail: z.looseObject({
    alarmName: z.string().min(1).max(255),
    alarmContributor: z.looseObject({
      id: z.string().min(1).max(1024),
      attributes: z.record(z.string(), ATTRIBUTE_VALUE),
    }),
    state: stateSchema,
    configuration: z.looseObject({
      metrics: z.array(z.looseObject({ id: z.string(), expression: z.string().optional() })).min(1),
    }),
  }),
});

/** One alarm-triggered run: the stage the contributor names, in the Region the alarm lives in. */
export interface AlarmRunRequest {
  trigger: 'alarm';
  alarmName: string;
  contributorId: string;
  /** EventBridge's `time`: when CloudWatch emitted the state change. */
  eventTime: string;
  region: string;
  stages: StageMetricKey[];
  allChecks: false;
  dryRun: false;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Events CloudWatch sends through EventBridge: they go to `parseAlarmEvent`, everything else elsewhere. */
export const isCloudWatchEvent = (event: unknown): boolean =>
  isObject(event) && event.source === CLOUDWATCH_SOURCE;

const reject = (field: string, message: string): never => {
  throw new InvalidEventError([{ field, message }]);
};

const issuesOf = (error: z.ZodError): EventProblem[] =>
  error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(event)',
    message: issue.message,
  }));

/** The stage a contributor's attributes name: exactly `ApiName`+`Stage` (REST) or `ApiId`+`Stage` (HTTP). */
export function stageOfContributor(attributes: Record<string, string>): StageMetricKey {
  const field = 'detail.alarmContributor.attributes';
  const names = Object.keys(attributes).sort();
  const { ApiName: apiName, ApiId: apiId, Stage: stage } = attributes;
  const rest = names.length === 2 && apiName !== undefined && stage !== undefined;
  const http = names.length === 2 && apiId !== undefined && stage !== undefined;
  if (!rest && !http) {
    return reject(
      field,
      `must name one API stage (ApiName and Stage, or ApiId and Stage); this contributor has ${names.length} attribute(s): ` +
        `${
          names
            .slice(0, 5)
            .map((name) => JSON.stringify(name.slice(0, 40)))
            .join(', ') || 'none'
        } ` +
        '(an alarm that is not one of the auditor’s stage 5xx alarms)',
    );
  }
  if (!STAGE_NAME.test(stage ?? '')) reject(`${field}.Stage`, 'must be an API Gateway stage name');
  if (http) {
    if (!METRIC_API_ID.test(apiId ?? ''))
      reject(`${field}.ApiId`, 'must be an API Gateway id: lowercase letters and digits');
    return { apiType: 'HTTP', apiKey: apiId ?? '', stage: stage ?? '' };
  }
  return { apiType: 'REST', apiKey: apiName ?? '', stage: stage ?? '' };
}

/**
 * Reads an event from CloudWatch. Accepts only a contributor entering ALARM on an API Gateway stage
 * alarm; throws InvalidEventError saying why for anything else (malformed, another alarm, the
 * alarm-level event, a contributor back to OK).
 */
export function parseAlarmEvent(event: unknown): AlarmRunRequest {
  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success) throw new InvalidEventError(issuesOf(envelope.error));
  const detailType = envelope.data['detail-type'];
  if (detailType === ALARM_STATE_CHANGE) {
    reject(
      'detail-type',
      `'${ALARM_STATE_CHANGE}' names no stage; the auditor acts on '${CONTRIBUTOR_STATE_CHANGE}' events, one per failing stage`,
    );
  }
  if (detailType !== CONTRIBUTOR_STATE_CHANGE) {
    reject(
      'detail-type',
      `must be '${CONTRIBUTOR_STATE_CHANGE}' (this CloudWatch event is not a stage alarm)`,
    );
  }
  const parsed = contributorEventSchema.safeParse(event);
  if (!parsed.success) throw new InvalidEventError(issuesOf(parsed.error));
  const { detail, region, time } = parsed.data;
  const queries = detail.configuration.metrics.map((metric) => metric.expression ?? '');
  if (!queries.some((query) => query.includes('"AWS/ApiGateway"'))) {
    reject('detail.configuration.metrics', 'must hold a Metrics Insights query on "AWS/ApiGateway"');
  }
  const stage = stageOfContributor(detail.alarmContributor.attributes);
  if (detail.state.value !== 'ALARM') {
    reject(
      'detail.state.value',
      `is ${detail.state.value}: only a contributor entering ALARM asks for a diagnosis`,
    );
  }
  return {
    trigger: 'alarm',
    alarmName: detail.alarmName,
    contributorId: detail.alarmContributor.id,
    eventTime: time,
    region,
    stages: [stage],
    allChecks: false,
    dryRun: false,
  };
}

/** What an alarm-triggered run audits: the named stages, in the alarm's Region, over a short window ending now. */
export function alarmAuditScope(request: AlarmRunRequest) {
  return {
    regions: [request.region],
    lookbackMinutes: ALARM_LOOKBACK_MINUTES,
    periodSeconds: ALARM_PERIOD_SECONDS,
    stages: request.stages,
  };
}

/**
 * An alarm event forwarded from a member account (the organization-wide audit): the request, and the
 * account the alarm lives in (EventBridge keeps the source event's `account` when it forwards it).
 */
export function parseMemberAlarmEvent(event: unknown): { request: AlarmRunRequest; account: string } {
  const request = parseAlarmEvent(event);
  // parseAlarmEvent validated the envelope: `account` is a 12-digit account id.
  return { request, account: (event as { account: string }).account };
}
