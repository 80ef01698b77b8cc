/**
 * Which forwarded stage alarms start a run (issue 25). Any account of the organization can put alarm
 * events on the auditor's alarm bus, so before a run starts each event is:
 *
 * - validated (a contributor of a member stage alarm, in an audited account and Region), else refused;
 * - de-duplicated per account, Region, stage(s) and alarm window: a stage flapping, or EventBridge
 *   delivering an event twice, starts one run per window;
 * - counted against a cap of runs per window for the whole organization: past it, the scheduled run
 *   covers the stage.
 *
 * A refused event is logged and counted, never a failed run. The admission marks are conditional
 * writes in the state table (keys starting `#alarm-`, which no finding id does; TTL'd).
 */

import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ALARM_LOOKBACK_MINUTES, parseMemberAlarmEvent } from '../config/alarm-event';
import { InvalidEventError } from '../config/manual-event';
import { type AlarmTargetCheck, alarmTarget, type TargetSource } from './list-targets';

const WINDOW_MS = ALARM_LOOKBACK_MINUTES * 60_000;

export type RefusalReason = 'invalid' | 'not-audited' | 'duplicate' | 'capped';

export type Admission =
  | { admitted: true; event: unknown; key: string }
  | { admitted: false; reason: RefusalReason; detail: string };

export interface AdmissionDeps {
  documents: DynamoDBDocumentClient;
  tableName: string;
  source: TargetSource;
  organizations: () => OrganizationsClient;
  runsPerWindow: number;
}

/** The alarm window an event falls in: its start, as epoch milliseconds. */
export const windowStart = (eventTime: string): number =>
  Math.floor(Date.parse(eventTime) / WINDOW_MS) * WINDOW_MS;

/** One run per account, Region, stage(s) and window. */
export function runKey(account: string, region: string, stages: readonly string[], start: number): string {
  return `#alarm-run#${account}#${region}#${[...stages].sort().join(',')}#${new Date(start).toISOString()}`;
}

const isConditionFailure = (error: unknown): boolean =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

/** True when this call wrote the mark (it did not exist). */
async function markOnce(deps: AdmissionDeps, key: string, expiresAt: number): Promise<boolean> {
  try {
    await deps.documents.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: { findingId: key, expiresAt },
        ConditionExpression: 'attribute_not_exists(findingId)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** True when the window still had room (and now has one run more). */
async function takeWindowSlot(deps: AdmissionDeps, start: number, expiresAt: number): Promise<boolean> {
  try {
    await deps.documents.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: { findingId: `#alarm-window#${new Date(start).toISOString()}` },
        UpdateExpression: 'ADD runs :one SET expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(runs) OR runs < :cap',
        ExpressionAttributeValues: { ':one': 1, ':cap': deps.runsPerWindow, ':expiresAt': expiresAt },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

function parsed(event: unknown): ReturnType<typeof parseMemberAlarmEvent> | InvalidEventError {
  try {
    return parseMemberAlarmEvent(event);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
}

/** Whether a forwarded alarm event starts a run. Throws only when AWS could not be asked. */
export async function admitAlarmEvent(event: unknown, deps: AdmissionDeps): Promise<Admission> {
  const alarm = parsed(event);
  if (alarm instanceof InvalidEventError)
    return { admitted: false, reason: 'invalid', detail: alarm.message };
  const { request, account } = alarm;
  const check: AlarmTargetCheck = await alarmTarget(account, request.region, deps.source, deps.organizations);
  if (!check.ok) return { admitted: false, reason: 'not-audited', detail: check.reason };
  const start = windowStart(request.eventTime);
  // Kept two windows: a late duplicate of the window before is still recognised.
  const expiresAt = Math.ceil((start + 3 * WINDOW_MS) / 1000);
  const stages = request.stages.map((stage) => `${stage.apiType}:${stage.apiKey}/${stage.stage}`);
  const key = runKey(account, request.region, stages, start);
  if (!(await markOnce(deps, key, expiresAt)))
    return { admitted: false, reason: 'duplicate', detail: `a run for ${key} was already admitted` };
  if (!(await takeWindowSlot(deps, start, expiresAt)))
    return {
      admitted: false,
      reason: 'capped',
      detail: `${deps.runsPerWindow} alarm runs already started in the window from ${new Date(start).toISOString()}: the scheduled run covers ${key}`,
    };
  return { admitted: true, event, key };
}
