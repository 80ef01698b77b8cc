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
  target: AuditTarget;
  partKey: string;
  run: RunScope;
}

const targetSchema = z.object({
  account: z.string().regex(/^\d{12}$/),
  accountName: z.string().optional(),
  region: z.string().min(1),
});

export const targetItemSchema = z.object({
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

/**
 * A stored part: an outcome with a report (whose shape the merge step owns) or an error. The error of
 * a failed item is written by the state machine's Catch, from Step Functions' `Error` and `Cause`.
 */
const partSchema = z.union([
  z.object({ target: targetSchema, report: z.looseObject({}) }),
  z.object({
    target: targetSchema,
    error: z.object({ action: z.string(), code: z.string(), message: z.string() }),
  }),
]);

export function parsePart(text: string): TargetOutcome | null {
  try {
    const parsed = partSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as TargetOutcome) : null;
  } catch {
    return null;
  }
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
