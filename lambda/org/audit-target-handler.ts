/**
 * One item of the Distributed Map: one account and Region. Audits it with the member role
 * (`auditTarget`), writes the outcome to the parts bucket and returns only a small pointer. A role
 * that cannot be assumed is an outcome with an error, written like any other; a crash or a timeout
 * of this function is caught by the state machine, which writes the error part instead.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { parseEnvironment } from '../config/environment';
import { auditDeadline } from '../handler';
import { auditTarget } from './audit-target';
import type { AuditTargetFn } from './contract';
import { parseOrgEnvironment } from './org-environment';
import { type PartStore, s3PartStore, targetItemSchema } from './run-parts';

/** The item's result in the state machine: a pointer, never the report (256 KB limit). */
export interface ItemResult {
  partKey: string;
  /** Set when the account and Region could not be audited (its error is in the part). */
  errorCode?: string;
  complete: boolean;
}

export interface AuditTargetDeps {
  auditTarget: AuditTargetFn;
  parts: (bucket: string) => PartStore;
  env: Record<string, string | undefined>;
  clock: () => number;
}

export function createAuditTargetHandler(deps: AuditTargetDeps) {
  return async (event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<ItemResult> => {
    const started = deps.clock();
    const environment = parseEnvironment(deps.env);
    const org = parseOrgEnvironment(deps.env);
    const item = targetItemSchema.parse(event);
    const now = new Date(item.run.now);
    const outcome = await deps.auditTarget(item.target, org.access, {
      lookbackMinutes: item.run.lookbackMinutes,
      periodSeconds: item.run.periodSeconds ?? environment.periodSeconds,
      allChecks: item.run.allChecks,
      ...(item.run.apiIds ? { apiIds: item.run.apiIds } : {}),
      ...(item.run.stages ? { stages: item.run.stages } : {}),
      thresholds: environment.thresholds,
      executionLogs: org.searchExecutionLogs,
      ...(environment.accessLogGroupPrefix ? { accessLogGroupPrefix: environment.accessLogGroupPrefix } : {}),
      ...(environment.endpoint ? { endpoint: environment.endpoint } : {}),
      ...(environment.suppressions ? { suppressions: environment.suppressions } : {}),
      now,
      // The part must still be written after the audit: the same margin the single-account handler keeps.
      deadline: auditDeadline(started, context.getRemainingTimeInMillis()),
    });
    await deps.parts(org.partsBucket).put(item.partKey, JSON.stringify({ runId: item.runId, ...outcome }));
    return {
      partKey: item.partKey,
      ...(outcome.error ? { errorCode: outcome.error.code } : {}),
      complete: outcome.report?.complete ?? false,
    };
  };
}

const logger = new Logger();
const auditTargetHandler = createAuditTargetHandler({
  auditTarget,
  parts: (bucket) => s3PartStore(bucket),
  env: process.env,
  clock: () => Date.now(),
});

export async function handler(
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
): Promise<ItemResult> {
  logger.appendKeys({ requestId: context.awsRequestId });
  const result = await auditTargetHandler(event, context);
  logger.info('Target audited', { result });
  return result;
}
