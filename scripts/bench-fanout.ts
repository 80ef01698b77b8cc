/**
 * `npm run bench:fanout [-- --accounts N --regions R --concurrency C]`: the organization-wide fan-out
 * on the emulator (issue 25). Seeds N member accounts x R Regions with the small broken shop
 * (scripts/seed/broken-account.ts: one failing REST stage behind an NLB, one HTTP stage), then runs a
 * scheduled run through the same handlers as the state machine: ListTargets (targets.json in S3),
 * AuditTarget for each item at most C at once (the Distributed Map's MaxConcurrency), then Merge.
 *
 * It prints JSON: wall time (the emulator answers in about a millisecond, AWS in tens: see
 * `projectedWallSeconds`), calls per account and Region, and for every account, Region and quota of
 * lambda/collect/rate-limit.ts the peak requests in any one second and whether AWS's token bucket
 * (its documented rate and burst, replayed over the recorded send times, retries included) would
 * ever have been empty: `quotaExceeded` must stay 0. Exits 1 when a quota is exceeded, an item
 * failed, or the projected wall time passes the goal (10 minutes for 200 targets).
 *
 * Notification is left out (a no-op): the merge's publishing is the single-account stack's, measured
 * by `npm run bench`.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../lambda/collect/clients';
import { type AnyPlugin, createClients } from '../lambda/collect/clients';
import { mapBounded } from '../lambda/collect/memo';
import { AWS_RATE_LIMITS, type RateLimits } from '../lambda/collect/rate-limit';
import { auditTarget } from '../lambda/org/audit-target';
import { createAuditTargetHandler } from '../lambda/org/audit-target-handler';
import { createListTargetsHandler } from '../lambda/org/list-targets-handler';
import { createMergeHandler } from '../lambda/org/merge-handler';
import { mergeReports } from '../lambda/org/merge-reports';
import { parsePart, s3PartStore, type TargetItem } from '../lambda/org/run-parts';
import { startEmulator } from './emulator';
import { BROKEN_ACCOUNT } from './seed/broken-account';
import { type AccountSpec, seedAccount } from './seed/seed-account';

/** The goal the issue sets: 200 targets (50 accounts x 4 Regions) within 10 minutes. */
export const GOAL = { targets: 200, wallSeconds: 600 } as const;
/** A round trip to AWS's control plane from Lambda, for the projection (the emulator takes ~1 ms). */
export const AWS_ROUND_TRIP_MS = 60;
const MEMBER_ROLE = 'ApiNetworkAuditorMember';
const BUCKET = 'bench-fanout-parts';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ALL_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1', 'sa-east-1'];

export interface FanoutOptions {
  accounts: number;
  regions: number;
  concurrency: number;
}

export function parseFanoutArgs(argv: readonly string[]): FanoutOptions {
  const options: FanoutOptions = { accounts: 50, regions: 4, concurrency: 10 };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const key = flag.replace(/^--/, '') as keyof FanoutOptions;
    const value = Number(argv[i + 1]);
    if (!(key in options) || !flag.startsWith('--')) throw new Error(`unknown option ${flag}`);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a whole number >= 1`);
    options[key] = value;
  }
  if (options.regions > ALL_REGIONS.length) throw new Error(`--regions is at most ${ALL_REGIONS.length}`);
  return options;
}

/** One AWS request as it left the SDK (each attempt): who, where, what, when (ms). */
export interface SentRequest {
  account: string;
  region: string;
  service: string;
  operation: string;
  at: number;
}

export interface QuotaUse {
  /** `account/region service[:operation]`: the bucket AWS keeps. */
  bucket: string;
  calls: number;
  /** Most requests in any one-second window. */
  peakPerSecond: number;
  /** The documented rate and burst. */
  perSecond: number;
  burst: number;
  /** Requests that found AWS's token bucket empty (replayed from a full bucket): throttled on AWS. */
  exceeded: number;
}

/** Most timestamps (ms, sorted) within any window of `windowMs`. */
export function peakInWindow(sorted: readonly number[], windowMs = 1000): number {
  let peak = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] ?? 0) - (sorted[first] ?? 0) >= windowMs) first += 1;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

/** Requests that find a token bucket (full at the start, `perSecond` refill, `burst` size) empty. */
export function tokenBucketMisses(sorted: readonly number[], perSecond: number, burst: number): number {
  let tokens = burst;
  let previous = sorted[0] ?? 0;
  let misses = 0;
  for (const at of sorted) {
    tokens = Math.min(burst, tokens + ((at - previous) / 1000) * perSecond);
    previous = at;
    if (tokens >= 1) tokens -= 1;
    else misses += 1;
  }
  return misses;
}

/** Every bucket the requests drew from, per account and Region (AWS's quotas' scope). */
export function quotaUse(requests: readonly SentRequest[], limits: RateLimits = AWS_RATE_LIMITS): QuotaUse[] {
  const buckets = new Map<string, { rule: RateLimits[number]; times: number[] }>();
  for (const request of requests) {
    for (const rule of limits) {
      if (!rule.services.includes(request.service)) continue;
      if (rule.operations && !rule.operations.includes(request.operation)) continue;
      const what =
        rule.scope === 'shared'
          ? `${rule.services.join('+')}${rule.operations ? `:${rule.operations.join('|')}` : ''}`
          : `${request.service}:${request.operation}`;
      const key = `${request.account}/${request.region} ${what}`;
      const entry = buckets.get(key) ?? { rule, times: [] };
      entry.times.push(request.at);
      buckets.set(key, entry);
    }
  }
  return [...buckets.entries()].map(([bucket, { rule, times }]) => {
    const sorted = [...times].sort((a, b) => a - b);
    return {
      bucket,
      calls: sorted.length,
      peakPerSecond: peakInWindow(sorted),
      perSecond: rule.perSecond,
      burst: rule.burst,
      exceeded: tokenBucketMisses(sorted, rule.perSecond, rule.burst),
    };
  });
}

/**
 * What the run would take on AWS: the items go in waves of `concurrency`; each item's calls are
 * sequential at worst, each a round trip. An upper bound (the audit overlaps reads within an item).
 */
export function projectedWallSeconds(
  callsPerItem: readonly number[],
  concurrency: number,
  roundTripMs = AWS_ROUND_TRIP_MS,
): number {
  const sorted = [...callsPerItem].sort((a, b) => b - a);
  const lanes = new Array<number>(Math.max(1, concurrency)).fill(0);
  for (const calls of sorted) {
    const lane = lanes.indexOf(Math.min(...lanes));
    lanes[lane] = (lanes[lane] ?? 0) + (calls * roundTripMs) / 1000;
  }
  return Math.max(...lanes);
}

/** A middleware that records each attempt (after the SDK's retry step) of a client's requests. */
function recorder(account: string, region: string, sink: SentRequest[]): AnyPlugin {
  return {
    applyToStack: (stack) => {
      stack.add(
        (next, context) => async (args) => {
          sink.push({
            account,
            region,
            service: (context.clientName ?? 'Unknown').replace(/Client$/, ''),
            operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
            at: performance.now(),
          });
          return next(args);
        },
        { step: 'deserialize', name: 'benchFanoutRecorder' },
      );
    },
  };
}

/** The shop in another Region: the same subnets, in that Region's zones. */
const inRegion = (spec: AccountSpec, region: string): AccountSpec => ({
  ...spec,
  subnets: spec.subnets.map((subnet) => ({ ...subnet, zone: subnet.zone.replace(/^us-east-1/, region) })),
});

async function memberClients(endpoint: string, account: string, region: string): Promise<AwsClients> {
  const sts = createClients({ region, endpoint, credentials: CREDENTIALS, rateLimits: false }).sts;
  const { Credentials: assumed } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/${MEMBER_ROLE}`,
      RoleSessionName: 'seed',
    }),
  );
  if (!assumed?.AccessKeyId || !assumed.SecretAccessKey) throw new Error(`no credentials for ${account}`);
  // Seeding is not measured: no client-side limits, and no retry (the emulator is slow under load, and a
  // retried create fails as a duplicate).
  return createClients({
    region,
    endpoint,
    rateLimits: false,
    maxAttempts: 1,
    timeouts: { connectionTimeoutMs: 30_000, requestTimeoutMs: 600_000 },
    credentials: {
      accessKeyId: assumed.AccessKeyId,
      secretAccessKey: assumed.SecretAccessKey,
      ...(assumed.SessionToken ? { sessionToken: assumed.SessionToken } : {}),
    },
  });
}

const accountId = (index: number) => String(100000000000 + index + 1);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const options = parseFanoutArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`[bench-fanout] ${line}\n`);
  const emulator = await startEmulator();
  try {
    const { endpoint } = emulator;
    const accounts = Array.from({ length: options.accounts }, (_, index) => accountId(index));
    const regions = ALL_REGIONS.slice(0, options.regions);
    const now = new Date();
    process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
    process.env.AWS_REGION = 'us-east-1';

    log(`seeding ${accounts.length} accounts x ${regions.length} Regions...`);
    const seedStarted = performance.now();
    // One account's Regions one after the other: the emulator creates an account's backends on first use.
    await mapBounded(accounts, 4, async (account) => {
      for (const region of regions)
        await seedAccount(
          await memberClients(endpoint, account, region),
          inRegion(BROKEN_ACCOUNT, region),
          now,
        );
    });
    log(`seeded in ${round((performance.now() - seedStarted) / 1000)} s`);
    await new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: CREDENTIALS,
    }).send(new CreateBucketCommand({ Bucket: BUCKET }));

    const env = {
      AWS_REGION: 'us-east-1',
      AUDIT_REGIONS: regions.join(','),
      LOOKBACK_MINUTES: '60',
      PERIOD_SECONDS: '300',
      TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:bench',
      STATE_TABLE_NAME: 'bench-state',
      PARTS_BUCKET: BUCKET,
      MEMBER_ROLE_NAME: MEMBER_ROLE,
      ORG_ACCOUNTS: accounts.join(','),
      AWS_ENDPOINT_URL: endpoint,
    };
    const parts = (bucket: string) => s3PartStore(bucket, endpoint);
    const sent: SentRequest[] = [];
    const listTargets = createListTargetsHandler({
      organizations: () => {
        throw new Error('the listed accounts need no Organizations call');
      },
      parts,
      env,
      clock: () => now,
    });
    const auditItem = createAuditTargetHandler({
      auditTarget: (target, access, base) =>
        auditTarget(target, access, { ...base, plugins: [recorder(target.account, target.region, sent)] }),
      parts,
      env,
      clock: () => Date.now(),
    });
    const merge = createMergeHandler({
      mergeReports,
      parts,
      notify: async () => ({ published: 0, changed: 0, resolved: 0, reminders: 0 }),
      publishMetrics: () => undefined,
      env,
      clock: () => new Date(),
    });

    log(`fanning out (MaxConcurrency ${options.concurrency})...`);
    const started = performance.now();
    const list = await listTargets({ runId: 'bench-fanout', input: {} });
    const store = parts(BUCKET);
    const items = JSON.parse((await store.get(list.targetsKey)) ?? '[]') as TargetItem[];
    const itemSeconds: number[] = [];
    await mapBounded(items, options.concurrency, async (item) => {
      const itemStarted = performance.now();
      await auditItem(item, { getRemainingTimeInMillis: () => 300_000 });
      itemSeconds.push((performance.now() - itemStarted) / 1000);
    });
    const summary = await merge(list);
    const wallSeconds = (performance.now() - started) / 1000;

    const callsPerItem: number[] = [];
    const callsByAccount = new Map<string, number>();
    for (const item of items) {
      const part = parsePart((await store.get(item.partKey)) ?? '');
      const calls = Object.values(part?.report?.stats.awsCalls ?? part?.error?.stats?.awsCalls ?? {}).reduce(
        (sum, count) => sum + count,
        0,
      );
      callsPerItem.push(calls);
      callsByAccount.set(item.target.account, (callsByAccount.get(item.target.account) ?? 0) + calls);
    }
    const use = quotaUse(sent);
    const exceeded = use.filter((bucket) => bucket.exceeded > 0);
    const busiest = [...use].sort((a, b) => b.peakPerSecond / b.perSecond - a.peakPerSecond / a.perSecond);
    const byAccount = [...callsByAccount.values()];
    const projected = projectedWallSeconds(callsPerItem, options.concurrency);
    const result = {
      targets: items.length,
      accounts: accounts.length,
      regions: regions.length,
      maxConcurrency: options.concurrency,
      complete: summary.complete,
      accountsWithErrors: summary.accountsWithErrors.length,
      emulatorWallSeconds: round(wallSeconds),
      itemSeconds: { max: round(Math.max(...itemSeconds), 2), mean: round(mean(itemSeconds), 2) },
      callsPerTarget: { max: Math.max(...callsPerItem), mean: round(mean(callsPerItem)) },
      callsPerAccount: { max: Math.max(...byAccount), mean: round(mean(byAccount)) },
      projectedWallSeconds: round(projected),
      projectionRoundTripMs: AWS_ROUND_TRIP_MS,
      quotaBuckets: use.length,
      quotaExceeded: exceeded.length,
      busiestBuckets: busiest.slice(0, 5),
      goal: {
        ...GOAL,
        met:
          exceeded.length === 0 && summary.accountsWithErrors.length === 0 && projected <= GOAL.wallSeconds,
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (!result.goal.met) process.exitCode = 1;
  } finally {
    await emulator.stop();
  }
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  });
}
