/**
 * Where one run of the organization-wide audit keeps its pieces in the parts bucket, and their shape.
 * Step Functions passes at most 256 KB between states: the list of targets and each target's outcome
 * (a whole report) live in S3, and the states pass only their keys.
 *
 * runs/<runId>/targets.json               the Distributed Map's items (ListTargets writes it)
 * runs/<runId>/parts/<account>-<region>.json  one TargetOutcome per item (the item, or its Catch)
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { SEVERITIES, STATUSES } from '../domain/types';
import type { StageMetricKey } from '../triage/read-traffic';
import type { AuditTarget, TargetOutcome } from './contract';

/** The action an ERROR line names when the item itself failed (the state machine's Catch wrote it). */
export const ITEM_ACTION = 'AuditTarget';

/** Where every run's objects start: the bucket's lifecycle rule expires this prefix. */
export const RUNS_PREFIX = 'runs/';
/** Step Functions execution names: 1-80 letters, digits, `-` and `_` (EventBridge starts UUIDs). */
const RUN_ID = /^[\w-]{1,80}$/;

export const targetsKey = (runId: string): string => `${RUNS_PREFIX}${runId}/targets.json`;
/** The merged report of the run, as the merge step built it (notifications carry a summary of it). */
export const reportKey = (runId: string): string => `${RUNS_PREFIX}${runId}/report.json`;
export const partKey = (runId: string, target: AuditTarget): string =>
  `${RUNS_PREFIX}${runId}/parts/${target.account}-${target.region}.json`;

export function assertRunId(runId: string): string {
  if (!RUN_ID.test(runId))
    throw new Error(`run id '${runId.slice(0, 100)}' is not a Step Functions execution name`);
  return runId;
}

/** What every item of one run audits besides its target: the same window and checks for all. */
export interface RunScope {
  /** The run's clock (ISO): every item audits the same window, ending at the same period. */
  now: string;
  lookbackMinutes: number;
  allChecks: boolean;
  apiIds?: string[];
  /** An alarm-triggered run: the alarm's one-minute period (the deployed period otherwise). */
  periodSeconds?: number;
  /** An alarm-triggered run: only the stages the alarm names (as CloudWatch names them). */
  stages?: StageMetricKey[];
}

/** One item of the Distributed Map (one line of targets.json). */
export interface TargetItem {
  /** The run the item belongs to: its part must name it too. */
  runId: string;
  target: AuditTarget;
  partKey: string;
  run: RunScope;
}

const targetSchema = z.object({
  account: z.string().regex(/^\d{12}$/),
  accountName: z.string().exactOptional(),
  region: z.string().min(1),
});

export const targetItemSchema = z.object({
  runId: z.string().regex(RUN_ID),
  target: targetSchema,
  partKey: z.string().startsWith(RUNS_PREFIX),
  run: z.object({
    now: z.iso.datetime(),
    lookbackMinutes: z.number().int().positive(),
    allChecks: z.boolean(),
    apiIds: z.array(z.string()).optional(),
    periodSeconds: z.number().int().positive().optional(),
    stages: z
      .array(z.object({ apiType: z.enum(['REST', 'HTTP']), apiKey: z.string(), stage: z.string() }))
      .optional(),
  }),
});

const stageKeySchema = z.object({ apiId: z.string(), stage: z.string() });

/** A finding as the item's audit writes it (lambda/domain/types.ts `Finding`). */
const findingSchema = z.object({
  id: z.string().min(1),
  checkId: z.string().min(1),
  status: z.enum(STATUSES),
  severity: z.enum(SEVERITIES),
  account: z.string().optional(),
  region: z.string(),
  resourceType: z.string(),
  resourceArn: z.string(),
  apis: z.array(stageKeySchema),
  title: z.string(),
  message: z.string(),
  remediation: z.string(),
  docs: z.array(z.string()),
  evidence: z.record(z.string(), z.unknown()),
});

/** A one-account, one-Region report (lambda/domain/types.ts `Report`); what the merge reads of it. */
const reportSchema = z.looseObject({
  schemaVersion: z.literal(1),
  complete: z.boolean(),
  incompleteReasons: z.array(z.string()),
  account: z.string().nullable(),
  regions: z.array(z.string()),
  window: z.object({ start: z.string(), end: z.string(), periodSeconds: z.number() }),
  apis: z.array(z.looseObject({ region: z.string(), account: z.string().optional() })),
  findings: z.array(findingSchema),
  muted: z
    .array(z.looseObject({ id: z.string(), checkId: z.string(), account: z.string().optional() }))
    .optional(),
  stats: z.object({
    durationMs: z.number(),
    awsCalls: z.record(z.string(), z.number()),
    retries: z.number(),
  }),
});

/**
 * A stored part: the run it belongs to, and an outcome with a report or an error. The error of a
 * failed item is written by the state machine's Catch, from Step Functions' `Error` and `Cause`.
 */
const partSchema = z.union([
  z.object({ runId: z.string(), target: targetSchema, report: reportSchema }),
  z.object({
    runId: z.string(),
    target: targetSchema,
    error: z.object({ action: z.string(), code: z.string(), message: z.string() }),
  }),
]);

export type StoredPart = TargetOutcome & { runId: string };

export function parsePart(text: string): StoredPart | null {
  try {
    const parsed = partSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as StoredPart) : null;
  } catch {
    return null;
  }
}

/**
 * Why a well-formed part does not belong to its item, or null when it does: another run, another
 * target, or a report naming another account or Region anywhere. The reason names nothing the part
 * says (its text is untrusted): only what the item expected.
 */
export function partMismatch(part: StoredPart, item: TargetItem): string | null {
  const { account, region } = item.target;
  if (part.runId !== item.runId) return `it was not written by run ${item.runId}`;
  if (part.target.account !== account || part.target.region !== region)
    return `it names another target than ${account} in ${region}`;
  if (!part.report) return null;
  const report = part.report;
  const inTarget = (entry: { region: string; account?: string }) =>
    entry.region === region && (entry.account === undefined || entry.account === account);
  if (report.account !== null && report.account !== account) return `its report is not of account ${account}`;
  if (report.regions.some((name) => name !== region)) return `its report covers more than ${region}`;
  if (!report.apis.every(inTarget)) return `its report holds stages outside ${account} in ${region}`;
  if (!report.findings.every(inTarget)) return `its report holds findings outside ${account} in ${region}`;
  if (!(report.muted ?? []).every((muted) => muted.account === undefined || muted.account === account))
    return `its report holds muted findings of another account than ${account}`;
  return null;
}

/** The run's objects: targets.json and the parts. */
export interface PartStore {
  put(key: string, body: string): Promise<void>;
  /** The object's text, or null when there is none. */
  get(key: string): Promise<string | null>;
}

export class S3PartStore implements PartStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }),
    );
  }

  async get(key: string): Promise<string | null> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await object.Body?.transformToString('utf-8')) ?? null;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  }
}

/**
 * The store of the function's parts bucket. `endpoint` (AWS_ENDPOINT_URL: the emulator in tests) asks
 * for path-style addressing, which a local endpoint needs; AWS gets virtual-hosted style.
 */
export const s3PartStore = (bucket: string, endpoint = process.env.AWS_ENDPOINT_URL): PartStore =>
  new S3PartStore(new S3Client(endpoint ? { endpoint, forcePathStyle: true } : {}), bucket);
