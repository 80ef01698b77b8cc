/**
 * The state machine's first step: which accounts and Regions this run audits. Writes the items of
 * the Distributed Map to the parts bucket (targets.json) and returns only their key and count: an
 * organization's item list can exceed the 256 KB Step Functions passes between states.
 *
 * A stage alarm forwarded from a member account (a "CloudWatch Alarm Contributor State Change" on the
 * auditor's bus) is one target: the event's account and Region, auditing only the stage it names
 * over the alarm's short window. It is validated before any AWS call, and an account or Region the
 * auditor does not audit is refused: an event from elsewhere starts no audit.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  type AlarmRunRequest,
  alarmAuditScope,
  isCloudWatchEvent,
  parseMemberAlarmEvent,
} from '../config/alarm-event';
import { type AuditorEnvironment, parseEnvironment } from '../config/environment';
import { InvalidEventError, parseInvocationEvent, type RunRequest } from '../config/manual-event';
import type { AuditTarget } from './contract';
import { alarmTarget, listTargets, type TargetSource } from './list-targets';
import { parseOrgEnvironment } from './org-environment';
import {
  assertRunId,
  type PartStore,
  partKey,
  type RunScope,
  s3PartStore,
  type TargetItem,
  targetsKey,
} from './run-parts';

/** What the state machine passes: its execution name, and the input it was started with. */
export interface ListTargetsEvent {
  runId: string;
  /**
   * The scheduled EventBridge event, a member account's stage alarm event, or a manual run's
   * `{ regions?, lookbackMinutes?, allChecks?, dryRun? }`.
   */
  input?: unknown;
}

/** What the Map reads its items from and the merge step receives. */
export interface TargetList {
  runId: string;
  trigger: RunRequest['trigger'] | AlarmRunRequest['trigger'];
  dryRun: boolean;
  dryRunReason?: string;
  targetsKey: string;
  targetCount: number;
  run: RunScope;
}

export interface ListTargetsDeps {
  organizations: () => OrganizationsClient;
  parts: (bucket: string) => PartStore;
  env: Record<string, string | undefined>;
  clock: () => Date;
}

/** What one run audits, before its items are written. */
interface PlannedRun {
  trigger: TargetList['trigger'];
  dryRun: boolean;
  dryRunReason?: string;
  targets: AuditTarget[];
  run: RunScope;
}

/** A forwarded stage alarm: its account and Region only, its stage only, the alarm's short window. */
async function alarmRun(input: unknown, source: TargetSource, deps: ListTargetsDeps): Promise<PlannedRun> {
  const { request, account } = parseMemberAlarmEvent(input);
  const check = await alarmTarget(account, request.region, source, deps.organizations);
  if (!check.ok) {
    throw new InvalidEventError([
      { field: check.field, message: `${check.reason}: an alarm from outside the audit starts no audit` },
    ]);
  }
  const scope = alarmAuditScope(request);
  return {
    trigger: request.trigger,
    dryRun: false,
    targets: [check.target],
    run: {
      now: deps.clock().toISOString(),
      lookbackMinutes: scope.lookbackMinutes,
      periodSeconds: scope.periodSeconds,
      allChecks: false,
      stages: scope.stages,
    },
  };
}

/** The schedule, or a manual run: every account of the source times the Regions. */
async function listedRun(
  input: unknown,
  source: TargetSource,
  environment: AuditorEnvironment,
  deps: ListTargetsDeps,
): Promise<PlannedRun> {
  const request = parseInvocationEvent(input, environment.periodSeconds);
  const targets = await listTargets(
    { ...source, regions: request.regions ?? source.regions },
    deps.organizations,
  );
  return {
    trigger: request.trigger,
    dryRun: request.dryRun,
    ...(request.dryRunReason ? { dryRunReason: request.dryRunReason } : {}),
    targets,
    run: {
      now: deps.clock().toISOString(),
      lookbackMinutes: request.lookbackMinutes ?? environment.lookbackMinutes,
      allChecks: request.allChecks,
      ...(request.apiIds ? { apiIds: request.apiIds } : {}),
    },
  };
}

/**
 * The alarm path's pipe (lambda/org/alarm-intake-handler.ts) starts a run with its enrichment's output
 * for one message: a one-element array holding the admitted event.
 */
const unwrapPipeInput = (input: unknown): unknown =>
  Array.isArray(input) && input.length === 1 ? input[0] : input;

export function createListTargetsHandler(deps: ListTargetsDeps) {
  return async (event: ListTargetsEvent): Promise<TargetList> => {
    const environment = parseEnvironment(deps.env);
    const org = parseOrgEnvironment(deps.env);
    const runId = assertRunId(event.runId);
    const source: TargetSource = {
      regions: environment.auditRegions,
      ...(org.accounts ? { accounts: org.accounts } : {}),
      ...(org.organizationalUnitIds ? { organizationalUnitIds: org.organizationalUnitIds } : {}),
    };
    const input = unwrapPipeInput(event.input);
    const planned = isCloudWatchEvent(input)
      ? await alarmRun(input, source, deps)
      : await listedRun(input, source, environment, deps);
    const { run } = planned;
    const items: TargetItem[] = planned.targets.map((target) => ({
      runId,
      target,
      partKey: partKey(runId, target),
      run,
    }));
    await deps.parts(org.partsBucket).put(targetsKey(runId), JSON.stringify(items));
    return {
      runId,
      trigger: planned.trigger,
      dryRun: planned.dryRun,
      ...(planned.dryRunReason ? { dryRunReason: planned.dryRunReason } : {}),
      targetsKey: targetsKey(runId),
      targetCount: items.length,
      run,
    };
  };
}

const logger = new Logger();
const listTargetsHandler = createListTargetsHandler({
  // Organizations is global: the SDK resolves its one endpoint (and honours AWS_ENDPOINT_URL).
  organizations: () => new OrganizationsClient({}),
  parts: (bucket) => s3PartStore(bucket),
  env: process.env,
  clock: () => new Date(),
});

export async function handler(event: ListTargetsEvent): Promise<TargetList> {
  let list: TargetList;
  try {
    list = await listTargetsHandler(event);
  } catch (error) {
    if (error instanceof InvalidEventError) logger.error('Invalid event', { problems: error.problems });
    throw error;
  }
  logger.info('Targets listed', { list });
  return list;
}
