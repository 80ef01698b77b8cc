/**
 * Turns a notification plan into SNS Publish requests: one message, one body per protocol
 * (`MessageStructure: 'json'`):
 * - `email`: the plain-text email (render-email.ts);
 * - `https`: the Amazon Q Developer in chat applications custom notification (render-chat.ts), since
 *   that service subscribes to topics over HTTPS;
 * - `default`: the machine-readable JSON, which every other protocol (sqs, lambda, firehose, http,
 *   email-json) receives. It is not repeated under `sqs`/`lambda` keys because every key counts
 *   towards the 256 KB limit of one message.
 *
 * The machine JSON is the report restricted to what this notification is about, under an envelope:
 * `{ notification: { runId, part, parts, type, highestSeverity, changes: counts, totals: counts of the
 * whole report }, changes: [{ kind, findingId, resolution?, previous?, lastKnown? }], report: Report with
 * `findings` = this part's reported findings and `apis` = the stages they affect }`.
 * When it does not fit in one message, the changes are split over numbered parts (same runId) that
 * together hold every one of them; a finding too large for a message on its own loses its evidence
 * (marked as omitted), never its place. A finding lists its first `MAX_STAGES_PER_FINDING` stages
 * (`stagesOmitted` counts the rest: a shared load balancer that fails can affect thousands). Building
 * never throws: a message still over SNS's limit is cut, with a note pointing at the machine JSON, so
 * one large finding can never stop every other one from being delivered.
 */
import type { MessageAttributeValue, PublishCommandInput } from '@aws-sdk/client-sns';
import type { Finding, Report, Severity, Status } from '../domain/types';
import {
  announcedSeverity,
  type ChangeCounts,
  countChanges,
  failingApiCount,
  failingStages,
  findingStageKeys,
  type NotificationType,
  type NotificationView,
  notificationType,
  openFindingCount,
  type ReportStage,
  reportStageKey,
  stageKey,
  stagesWorstFirst,
  statusCounts,
} from './notification-view';
import type { ChangeKind, FindingChange, Resolution } from './plan-notification';
import { renderChatContinuation, renderChatCut, renderChatNotification } from './render-chat';
import { renderContinuationEmail, renderEmailBody, renderEmailSubject } from './render-email';

/** SNS: a message, its subject and attributes together, at most 256 KiB. */
export const SNS_MESSAGE_MAX_BYTES = 262_144;
const SAFETY_MARGIN_BYTES = 2_048;
/** Upper bounds for what is not known while packing: subject, attributes, continuation bodies. */
const SUBJECT_AND_ATTRIBUTES_BYTES = 1_024;
const CONTINUATION_BODIES_BYTES = 4_096;
const STRUCTURE_OVERHEAD_BYTES = 64;

/** Stages listed per finding in the machine JSON; the rest are counted in `stagesOmitted`. */
export const MAX_STAGES_PER_FINDING = 25;

export interface MachineChange {
  kind: ChangeKind;
  findingId: string;
  /** Stages of the finding beyond the first `MAX_STAGES_PER_FINDING`, left out of this message. */
  stagesOmitted?: number;
  resolution?: Resolution;
  previous?: { status: Status; severity: Severity; firstSeen: string; lastNotified: string };
  /** For a finding resolved by no longer being reported: what was last known of it. */
  lastKnown?: {
    checkId: string;
    title: string;
    /** Absent for states written before findings named their account. */
    account?: string;
    region: string;
    resourceArn: string;
    apis: { apiId: string; stage: string }[];
  };
}

export interface MachineNotification {
  notification: {
    schemaVersion: 1;
    type: NotificationType;
    runId: string;
    part: number;
    parts: number;
    highestSeverity: Severity | 'none';
    /** Counts over the whole notification (every part). */
    changes: ChangeCounts & { total: number };
    /** Counts over the whole report, not only what changed. */
    totals: {
      findings: number;
      byStatus: Record<Status, number>;
      openFindings: number;
      openAnnounced: number;
      failingApis: number;
      failingStages: number;
    };
  };
  changes: MachineChange[];
  report: Omit<Report, 'apis' | 'findings'> & { apis: ReportStage[]; findings: Finding[] };
}

/** Bytes a JSON text takes once embedded as a string value in another JSON text (escapes included). */
const embeddedBytes = (json: string): number => Buffer.byteLength(JSON.stringify(json), 'utf8') - 2;

function machineChange(change: FindingChange): MachineChange {
  const previous = change.previous;
  return {
    kind: change.kind,
    findingId: change.findingId,
    ...(change.resolution ? { resolution: change.resolution } : {}),
    ...stagesOmitted(change.finding?.apis ?? previous?.apis ?? []),
    ...(previous
      ? {
          previous: {
            status: previous.status,
            severity: previous.severity,
            firstSeen: previous.firstSeen,
            lastNotified: previous.lastNotified,
          },
        }
      : {}),
    ...(!change.finding && previous
      ? {
          lastKnown: {
            checkId: previous.checkId,
            title: previous.title,
            ...(previous.account ? { account: previous.account } : {}),
            region: previous.region,
            resourceArn: previous.resourceArn,
            apis: previous.apis.slice(0, MAX_STAGES_PER_FINDING),
          },
        }
      : {}),
  };
}

const stagesOmitted = (apis: readonly unknown[]) =>
  apis.length > MAX_STAGES_PER_FINDING ? { stagesOmitted: apis.length - MAX_STAGES_PER_FINDING } : {};

/** The finding with its first `MAX_STAGES_PER_FINDING` stages. */
const withListedStages = (finding: Finding): Finding =>
  finding.apis.length > MAX_STAGES_PER_FINDING
    ? { ...finding, apis: finding.apis.slice(0, MAX_STAGES_PER_FINDING) }
    : finding;

interface PackItem {
  change: MachineChange;
  finding?: Finding;
  stages: ReportStage[];
}

function itemBytes(item: PackItem, stagesInPart: ReadonlySet<string>): number {
  let bytes = embeddedBytes(JSON.stringify(item.change)) + 1;
  if (item.finding) bytes += embeddedBytes(JSON.stringify(item.finding)) + 1;
  for (const stage of item.stages)
    if (!stagesInPart.has(stageKey(stage))) bytes += embeddedBytes(JSON.stringify(stage)) + 1;
  return bytes;
}

/**
 * Keeps a finding that alone exceeds a message: its evidence goes, its long texts are cut, and if that
 * is not enough, its stages' details (names, numbers) are left to the full report.
 */
function shrunk(item: PackItem, budget: number): PackItem {
  if (!item.finding || itemBytes(item, new Set()) <= budget) return item;
  const evidenceBytes = Buffer.byteLength(JSON.stringify(item.finding.evidence), 'utf8');
  const finding: Finding = {
    ...item.finding,
    title: item.finding.title.slice(0, 1_000),
    message: item.finding.message.slice(0, 8_000),
    remediation: item.finding.remediation.slice(0, 8_000),
    evidence: { omitted: `evidence of ${evidenceBytes} bytes left out: too large for one SNS message` },
  };
  const withoutEvidence = { ...item, finding };
  return itemBytes(withoutEvidence, new Set()) <= budget
    ? withoutEvidence
    : { ...withoutEvidence, stages: [] };
}

function skeleton(view: NotificationView, part: number, parts: number): MachineNotification {
  const { report, plan, runId } = view;
  const counts = countChanges(plan.changes);
  const { apis: _apis, findings: _findings, ...header } = report;
  return {
    notification: {
      schemaVersion: 1,
      type: notificationType(plan),
      runId,
      part,
      parts,
      highestSeverity: announcedSeverity(plan.changes) ?? 'none',
      changes: { ...counts, total: plan.changes.length },
      totals: {
        findings: report.findings.length,
        byStatus: statusCounts(report),
        openFindings: openFindingCount(report),
        openAnnounced: plan.openAfter,
        failingApis: failingApiCount(report),
        failingStages: failingStages(report).length,
      },
    },
    changes: [],
    report: { ...header, apis: [], findings: [] },
  };
}

/** Splits the changes into parts whose machine JSON stays within each part's byte budget. */
function pack(view: NotificationView, firstBudget: number, laterBudget: number): PackItem[][] {
  const stagesByKey = new Map(view.report.apis.map((stage) => [reportStageKey(stage, view.report), stage]));
  const base = embeddedBytes(JSON.stringify(skeleton(view, 99_999, 99_999)));
  const parts: PackItem[][] = [];
  let current: PackItem[] = [];
  let stagesInPart = new Set<string>();
  let used = base;
  const budget = () => (parts.length === 0 ? firstBudget : laterBudget);
  for (const change of view.plan.changes) {
    const finding = change.finding ? withListedStages(change.finding) : undefined;
    const stages = (finding ? findingStageKeys(finding, view.report) : [])
      .map((key) => stagesByKey.get(key))
      .filter((stage): stage is ReportStage => stage !== undefined);
    const item = shrunk(
      { change: machineChange(change), ...(finding ? { finding } : {}), stages },
      laterBudget - base,
    );
    let bytes = itemBytes(item, stagesInPart);
    if (current.length > 0 && used + bytes > budget()) {
      parts.push(current);
      current = [];
      stagesInPart = new Set();
      used = base;
      bytes = itemBytes(item, stagesInPart);
    }
    current.push(item);
    for (const stage of item.stages) stagesInPart.add(stageKey(stage));
    used += bytes;
  }
  parts.push(current);
  return parts;
}

function machinePayload(
  view: NotificationView,
  items: PackItem[],
  part: number,
  parts: number,
): MachineNotification {
  const payload = skeleton(view, part, parts);
  const stages = new Map<string, ReportStage>();
  for (const item of items) {
    payload.changes.push(item.change);
    if (item.finding) payload.report.findings.push(item.finding);
    for (const stage of item.stages) stages.set(stageKey(stage), stage);
  }
  payload.report.apis = [...stages.values()];
  return payload;
}

function attributes(view: NotificationView, part: number): Record<string, MessageAttributeValue> {
  const { report } = view;
  const text = (value: string): MessageAttributeValue => ({
    DataType: 'String',
    StringValue: value || 'none',
  });
  const number = (value: number): MessageAttributeValue => ({
    DataType: 'Number',
    StringValue: String(value),
  });
  // The worst stage's verdict, as every rendering shows it: its first cause's check id, or why there
  // is none (`transient`, `no-network-cause`, `unreadable`). One attribute: with `trigger` there are
  // ten, the most an SQS subscription with raw message delivery accepts.
  const [worst] = stagesWorstFirst(report);
  return {
    highestSeverity: text(announcedSeverity(view.plan.changes) ?? 'none'),
    cause: text(worst?.causes[0]?.checkId ?? worst?.verdict.kind ?? 'none'),
    // A merged report of several accounts: every account, so a filter policy on one still matches.
    account:
      report.account === null && report.accounts?.length
        ? {
            DataType: 'String.Array',
            StringValue: JSON.stringify(report.accounts.map((account) => account.id)),
          }
        : text(report.account ?? 'unknown'),
    region: text(report.regions.join(',')),
    failCount: number(statusCounts(report).FAIL),
    findingCount: number(openFindingCount(report)),
    notificationType: text(notificationType(view.plan)),
    runId: text(view.runId),
    // `parts` is in the machine JSON (notification.parts): the attribute made room for `cause`.
    part: number(part),
    ...(view.trigger ? { trigger: text(view.trigger) } : {}),
  };
}

/** Bytes SNS counts for a Publish: message, subject, and attribute names, types and values. */
export function publishSizeBytes(input: PublishCommandInput): number {
  const bytes = (text: string | undefined) => Buffer.byteLength(text ?? '', 'utf8');
  let total = bytes(input.Message) + bytes(input.Subject);
  for (const [name, value] of Object.entries(input.MessageAttributes ?? {}))
    total += bytes(name) + bytes(value.DataType) + bytes(value.StringValue);
  return total;
}

/** What replaces a body that made its message too large. */
export const CUT_NOTE =
  "This message was cut to fit SNS's 256 KB limit: the machine-readable JSON message (subscribe a queue or function) lists every finding.";

/** The Publish request of one part, cut step by step until it fits: never an error, always a message. */
function fittedPublish(
  view: NotificationView,
  topicArn: string,
  bodies: { default: string; email: string; https: string },
  part: number,
  parts: number,
): PublishCommandInput {
  const input = (message: { default: string; email: string; https: string }): PublishCommandInput => ({
    TopicArn: topicArn,
    MessageStructure: 'json',
    Subject: renderEmailSubject(view, part, parts),
    Message: JSON.stringify(message),
    MessageAttributes: attributes(view, part),
  });
  const fits = (candidate: PublishCommandInput) => publishSizeBytes(candidate) <= SNS_MESSAGE_MAX_BYTES;
  const full = input(bodies);
  if (fits(full)) return full;
  const cutHuman = {
    ...bodies,
    email: CUT_NOTE,
    https: JSON.stringify(renderChatCut(view, part, parts, CUT_NOTE)),
  };
  const humanCut = input(cutHuman);
  if (fits(humanCut)) return humanCut;
  const machine = JSON.parse(bodies.default) as MachineNotification;
  const changesOnly: MachineNotification & { note: string } = {
    ...machine,
    note: CUT_NOTE,
    report: { ...machine.report, apis: [], findings: [] },
  };
  const machineCut = input({ ...cutHuman, default: JSON.stringify(changesOnly) });
  if (fits(machineCut)) return machineCut;
  return input({ ...cutHuman, default: JSON.stringify({ ...changesOnly, changes: [] }) });
}

/** The Publish requests of one notification, in order (part 1 first). Never throws on size. */
export function buildNotificationMessages(view: NotificationView, topicArn: string): PublishCommandInput[] {
  const email = renderEmailBody(view);
  const chat = JSON.stringify(renderChatNotification(view));
  const fixed =
    SNS_MESSAGE_MAX_BYTES - SAFETY_MARGIN_BYTES - SUBJECT_AND_ATTRIBUTES_BYTES - STRUCTURE_OVERHEAD_BYTES;
  const firstBudget = Math.max(0, fixed - embeddedBytes(email) - embeddedBytes(chat));
  const laterBudget = fixed - CONTINUATION_BODIES_BYTES;
  const parts = pack(view, firstBudget, laterBudget);

  return parts.map((items, index) => {
    const part = index + 1;
    const machine = JSON.stringify(machinePayload(view, items, part, parts.length));
    return fittedPublish(
      view,
      topicArn,
      {
        default: machine,
        email: part === 1 ? email : renderContinuationEmail(view, part, parts.length),
        https: part === 1 ? chat : JSON.stringify(renderChatContinuation(view, part, parts.length)),
      },
      part,
      parts.length,
    );
  });
}
