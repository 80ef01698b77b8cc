/**
 * Publishes what a report changes (new, changed, resolved findings and reminders) to an SNS topic,
 * and remembers what was announced. The state is written only after every part was published: a
 * failed publish leaves the state as it was, so the next run announces the same changes again
 * (at-least-once: a duplicate is possible, a lost finding is not).
 */
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import type { Report } from '../domain/types';
import { findingId, legacyFindingId } from '../engine/finding-id';
import type { FindingState, FindingStateStore } from './finding-state';
import { buildNotificationMessages } from './notification-messages';
import { type RunTrigger, runIdOf } from './notification-view';
import { type NotificationPlan, planNotification } from './plan-notification';
import type { NotifySettings } from './settings';

export interface NotifyDeps {
  sns: SNSClient;
  topicArn: string;
  store: FindingStateStore;
  settings: NotifySettings;
  now: Date;
  /** Compute what would be sent: send nothing, write nothing. */
  dryRun?: boolean;
  /** What started the run, marked in the subject (alarm) and the `trigger` attribute. */
  trigger?: RunTrigger;
}

export interface NotifyOutcome {
  /** SNS messages sent (the parts of one notification). */
  published: number;
  /** New plus changed findings announced. */
  changed: number;
  resolved: number;
  reminders: number;
  /** Why nothing was published, when nothing was. */
  skippedReason?: string;
  /** Of `changed`, the findings announced for the first time. */
  newFindings?: number;
  allClear?: boolean;
  runId?: string;
  /** Dry runs only: the Publish requests that would have been sent. */
  wouldPublish?: PublishCommandInput[];
}

export type NotifyStep = 'read-state' | 'publish' | 'write-state';

/** Notifying failed; `step` says where, `publishedParts` how many parts went out before it. */
export class NotifyError extends Error {
  constructor(
    message: string,
    readonly step: NotifyStep,
    readonly publishedParts: number,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'NotifyError';
  }
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * Open states written before finding ids held the account and Region, under their new id: the
 * finding keeps its history (first seen, last notified) instead of being announced again as new.
 */
export function migrateLegacyStates(
  open: readonly FindingState[],
  account: string | null,
): { state: FindingState; legacyId: string }[] {
  return open
    .filter((state) => state.findingId === legacyFindingId(state.checkId, state.resourceArn))
    .map((state) => ({
      legacyId: state.findingId,
      state: { ...state, findingId: findingId(state.checkId, state.resourceArn, account, state.region) },
    }));
}

interface PreviousStates {
  states: Map<string, FindingState>;
  migrated: { state: FindingState; legacyId: string }[];
}

async function previousStates(report: Report, store: FindingStateStore): Promise<PreviousStates> {
  const ids = [...new Set(report.findings.map((finding) => finding.id))];
  const [known, open] = await Promise.all([store.get(ids), store.listOpen()]);
  // States from before ids held the account were written by a single-account auditor: a merged
  // report of several accounts (account null) cannot tell which account they belong to.
  const merged = report.account === null && report.accounts !== undefined;
  const migrated = merged ? [] : migrateLegacyStates(open, report.account);
  const legacyIds = new Set(migrated.map(({ legacyId }) => legacyId));
  for (const state of open)
    if (!legacyIds.has(state.findingId) && !known.has(state.findingId)) known.set(state.findingId, state);
  for (const { state } of migrated) if (!known.has(state.findingId)) known.set(state.findingId, state);
  return { states: known, migrated };
}

/** What to write: the plan's states, and each migrated state the plan did not write under its new id. */
function statesToWrite(plan: NotificationPlan, migrated: PreviousStates['migrated']): FindingState[] {
  const written = new Set(plan.nextStates.map((state) => state.findingId));
  return [
    ...plan.nextStates,
    ...migrated.map(({ state }) => state).filter((state) => !written.has(state.findingId)),
  ];
}

/**
 * Announces what changed since the runs before, and records it. Reading the states, publishing and
 * recording run as one step under the store's lease when it has one, so overlapping runs announce once.
 */
export async function notifyReport(report: Report, deps: NotifyDeps): Promise<NotifyOutcome> {
  const { store } = deps;
  if (deps.dryRun || !store.exclusively) return notifyOnce(report, deps);
  return store.exclusively(() => notifyOnce(report, deps));
}

async function notifyOnce(report: Report, deps: NotifyDeps): Promise<NotifyOutcome> {
  let previous: PreviousStates;
  try {
    previous = await previousStates(report, deps.store);
  } catch (error) {
    throw new NotifyError(`could not read the notification state: ${describe(error)}`, 'read-state', 0, {
      cause: error,
    });
  }

  const plan = planNotification(report, previous.states, deps.settings, deps.now, {
    resolveAbsent: deps.trigger !== 'alarm',
  });
  const view = { report, plan, runId: runIdOf(report), ...(deps.trigger ? { trigger: deps.trigger } : {}) };
  const count = (kind: string) => plan.changes.filter((change) => change.kind === kind).length;
  const outcome: NotifyOutcome = {
    published: 0,
    changed: count('new') + count('changed'),
    resolved: count('resolved'),
    reminders: count('reminder'),
    newFindings: count('new'),
    allClear: plan.allClear,
    runId: view.runId,
  };

  const messages =
    plan.changes.length || plan.incompleteRun ? buildNotificationMessages(view, deps.topicArn) : [];
  if (deps.dryRun) {
    return {
      ...outcome,
      skippedReason: `dry run: ${messages.length} message(s) not sent, state not written`,
      wouldPublish: messages,
    };
  }

  let published = 0;
  for (const message of messages) {
    try {
      await deps.sns.send(new PublishCommand(message));
      published += 1;
    } catch (error) {
      throw new NotifyError(
        `publishing part ${published + 1} of ${messages.length} to ${deps.topicArn} failed (sns:Publish): ${describe(error)}; ` +
          'the notification state was not updated, so the next run announces these changes again',
        'publish',
        published,
        { cause: error },
      );
    }
  }

  try {
    // New ids first: if deleting the legacy ones fails, the next run migrates them again, to the same ids.
    await deps.store.put(statesToWrite(plan, previous.migrated));
    await deps.store.remove(previous.migrated.map(({ legacyId }) => legacyId));
  } catch (error) {
    throw new NotifyError(
      `published ${published} message(s) but could not record them: ${describe(error)}; the next run may announce them again`,
      'write-state',
      published,
      { cause: error },
    );
  }

  return messages.length
    ? { ...outcome, published }
    : {
        ...outcome,
        skippedReason: 'nothing new, changed, resolved or due a reminder, and no new reason to be incomplete',
      };
}
