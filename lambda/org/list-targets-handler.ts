/**
 * The state machine's first step: which accounts and Regions this run audits. Writes the items of
 * the Distributed Map to the parts bucket (targets.json) and returns only their key and count: an
 * organization's item list can exceed the 256 KB Step Functions passes between states.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { parseEnvironment } from '../config/environment';
import { parseInvocationEvent, type RunRequest } from '../config/manual-event';
import { listTargets } from './list-targets';
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
  /** The scheduled EventBridge event, or a manual run's `{ regions?, lookbackMinutes?, allChecks?, dryRun? }`. */
  input?: unknown;
}

/** What the Map reads its items from and the merge step receives. */
export interface TargetList {
  runId: string;
  trigger: RunRequest['trigger'];
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

export function createListTargetsHandler(deps: ListTargetsDeps) {
  return async (event: ListTargetsEvent): Promise<TargetList> => {
    const environment = parseEnvironment(deps.env);
    const org = parseOrgEnvironment(deps.env);
    const runId = assertRunId(event.runId);
    const request = parseInvocationEvent(event.input, environment.periodSeconds);
    const targets = await listTargets(
      {
        regions: request.regions ?? environment.auditRegions,
        ...(org.accounts ? { accounts: org.accounts } : {}),
        ...(org.organizationalUnitIds ? { organizationalUnitIds: org.organizationalUnitIds } : {}),
      },
      deps.organizations,
    );
    const run: RunScope = {
      now: deps.clock().toISOString(),
      lookbackMinutes: request.lookbackMinutes ?? environment.lookbackMinutes,
      allChecks: request.allChecks,
      ...(request.apiIds ? { apiIds: request.apiIds } : {}),
    };
    const items: TargetItem[] = targets.map((target) => ({ target, partKey: partKey(runId, target), run }));
    await deps.parts(org.partsBucket).put(targetsKey(runId), JSON.stringify(items));
    return {
      runId,
      trigger: request.trigger,
      dryRun: request.dryRun,
      ...(request.dryRunReason ? { dryRunReason: request.dryRunReason } : {}),
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
  const list = await listTargetsHandler(event);
  logger.info('Targets listed', { list });
  return list;
}
