/**
 * `npm run bench [-- --rest N --http N --failing N --lbs N --latency MS]`: seeds an emulated account
 * at the default quotas (600 REST and 600 HTTP API stages with traffic, 12 of them failing behind 4
 * network load balancers), audits it as deployed (triage first) and with every check on every stage,
 * and prints JSON: calls by operation, the time AWS's documented rates need for them (the floor),
 * wall time and peak memory, against the budgets in docs/performance.md. Exits 1 when a budget fails.
 */
import { auditWindow, runAudit } from '../lambda/audit';
import { CallStats, createClients } from '../lambda/collect/clients';
import { AWS_RATE_LIMITS, type RateLimits } from '../lambda/collect/rate-limit';
import type { Report } from '../lambda/domain/types';
import { DEFAULT_THRESHOLDS } from '../lambda/triage/classify-stage';
import { startEmulator } from './emulator';
import { startLatencyProxy } from './latency-proxy';
import { seedBulkAccount } from './seed/bulk-account';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const LOOKBACK_MINUTES = 60;
const PERIOD_SECONDS = 300;

export const BUDGETS = {
  triageApiGatewayCalls: 50,
  triageCloudWatchCalls: 20,
  allChecksToTriageRatio: 48,
  wallOverFloorWithLatency: 1.5,
  peakRssMb: 256,
} as const;

export interface BenchOptions {
  rest: number;
  http: number;
  failing: number;
  lbs: number;
  latency: number;
}

/** The account the budgets are set for: the default quotas of one Region. */
export const BUDGETED_ACCOUNT = { rest: 600, http: 600, failing: 12, lbs: 4 } as const;

/** The call-ratio budget only means something for the budgeted account (a small one has too few stages). */
export const isBudgetedAccount = (options: BenchOptions): boolean =>
  (Object.keys(BUDGETED_ACCOUNT) as (keyof typeof BUDGETED_ACCOUNT)[]).every(
    (key) => options[key] === BUDGETED_ACCOUNT[key],
  );

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...BUDGETED_ACCOUNT, latency: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const key = flag.replace(/^--/, '') as keyof BenchOptions;
    const value = Number(argv[i + 1]);
    if (!(key in options) || !flag.startsWith('--')) throw new Error(`unknown option ${flag}`);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a whole number >= 0`);
    options[key] = value;
  }
  return options;
}

const isApiGateway = (operation: string) =>
  operation.startsWith('APIGateway.') || operation.startsWith('ApiGatewayV2.');
const sumWhere = (calls: Record<string, number>, keep: (operation: string) => boolean) =>
  Object.entries(calls)
    .filter(([operation]) => keep(operation))
    .reduce((sum, [, count]) => sum + count, 0);

export interface Floor {
  seconds: number;
  /** The quota that binds (the one that needs the longest), as `services[:operation]`. */
  bindingQuota: string | null;
}

/**
 * The least time the calls need at AWS's documented rates: for each bucket, the calls beyond its
 * burst divided by its refill rate; the slowest bucket binds.
 */
export function floorAtDocumentedRates(
  calls: Record<string, number>,
  limits: RateLimits = AWS_RATE_LIMITS,
): Floor {
  let floor: Floor = { seconds: 0, bindingQuota: null };
  for (const rule of limits) {
    const perBucket = new Map<string, number>();
    for (const [key, count] of Object.entries(calls)) {
      const [service = '', operation = ''] = key.split('.');
      if (!rule.services.includes(service)) continue;
      if (rule.operations && !rule.operations.includes(operation)) continue;
      const bucket = rule.scope === 'shared' ? rule.services.join('+') : `${service}:${operation}`;
      perBucket.set(bucket, (perBucket.get(bucket) ?? 0) + count);
    }
    for (const [bucket, count] of perBucket) {
      const seconds = Math.max(0, count - rule.burst) / rule.perSecond;
      const name =
        rule.operations && rule.scope === 'shared' ? `${bucket}:${rule.operations.join('|')}` : bucket;
      if (seconds > floor.seconds) floor = { seconds, bindingQuota: name };
    }
  }
  return floor;
}

/** Samples resident memory while `work` runs (process-wide peak, the emulator excluded: it is a child). */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakRssMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function describeRun(report: Report, wallSeconds: number, peakRssMb: number) {
  const calls = report.stats.awsCalls;
  const floor = floorAtDocumentedRates(calls);
  const byStatus: Record<string, number> = {};
  for (const finding of report.findings) byStatus[finding.status] = (byStatus[finding.status] ?? 0) + 1;
  return {
    stages: report.apis.length,
    failingStages: report.apis.filter(
      (api) => api.classification === 'high-frequency' || api.classification === 'low-frequency',
    ).length,
    complete: report.complete,
    /** Why the run is incomplete (a failed batch drops its stages): a loaded emulator times out. */
    incompleteReasons: report.incompleteReasons,
    findings: byStatus,
    wallSeconds: round(wallSeconds),
    floorSeconds: round(floor.seconds),
    bindingQuota: floor.bindingQuota,
    wallOverFloor: floor.seconds > 0 ? round(wallSeconds / floor.seconds) : null,
    peakRssMb,
    awsCallsTotal: sumWhere(calls, () => true),
    apiGatewayCalls: sumWhere(calls, isApiGateway),
    cloudWatchCalls: sumWhere(calls, (operation) => operation.startsWith('CloudWatch.')),
    retries: report.stats.retries,
    awsCalls: Object.fromEntries(Object.entries(calls).sort(([a], [b]) => a.localeCompare(b))),
  };
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const emulator = await startEmulator();
  let proxy: Awaited<ReturnType<typeof startLatencyProxy>> | undefined;
  try {
    const now = new Date();
    const window = auditWindow(now, LOOKBACK_MINUTES, PERIOD_SECONDS);
    // Seeding is not what is measured: no client-side limits, a small concurrent pool.
    const seedClients = createClients(
      { region: REGION, endpoint: emulator.endpoint, credentials: CREDENTIALS, rateLimits: false },
      new CallStats(),
    );
    log(`seeding ${options.rest} REST + ${options.http} HTTP API stages (${options.failing} failing)...`);
    const seedStarted = performance.now();
    const account = await seedBulkAccount(
      seedClients,
      {
        restApis: options.rest,
        httpApis: options.http,
        failing: options.failing,
        loadBalancers: options.lbs,
      },
      window,
    );
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(`seeded in ${seedSeconds.toFixed(1)} s with ${account.calls} calls`);

    if (options.latency > 0) proxy = await startLatencyProxy(emulator.endpoint, options.latency);
    const endpoint = proxy?.endpoint ?? emulator.endpoint;
    const audit = async (allChecks: boolean) => {
      log(`auditing (allChecks=${allChecks}, latency=${options.latency} ms)...`);
      const started = performance.now();
      const { result, peakRssMb } = await withPeakRss(() =>
        runAudit({
          regions: [REGION],
          lookbackMinutes: LOOKBACK_MINUTES,
          periodSeconds: PERIOD_SECONDS,
          allChecks,
          thresholds: DEFAULT_THRESHOLDS,
          endpoint,
          credentials: CREDENTIALS,
          now,
        }),
      );
      const run = describeRun(result, (performance.now() - started) / 1000, peakRssMb);
      log(`done in ${run.wallSeconds} s: ${run.awsCallsTotal} calls, floor ${run.floorSeconds} s`);
      return run;
    };
    const triageFirst = await audit(false);
    const allChecks = await audit(true);

    const ratio =
      triageFirst.apiGatewayCalls > 0 ? allChecks.apiGatewayCalls / triageFirst.apiGatewayCalls : null;
    const budgets = {
      triageApiGatewayCalls: triageFirst.apiGatewayCalls <= BUDGETS.triageApiGatewayCalls,
      triageCloudWatchCalls: triageFirst.cloudWatchCalls <= BUDGETS.triageCloudWatchCalls,
      ...(isBudgetedAccount(options)
        ? { allChecksToTriageRatio: ratio !== null && ratio >= BUDGETS.allChecksToTriageRatio }
        : {}),
      peakRssMb: Math.max(triageFirst.peakRssMb, allChecks.peakRssMb) < BUDGETS.peakRssMb,
      ...(options.latency > 0
        ? {
            wallOverFloorWithLatency:
              allChecks.wallOverFloor !== null && allChecks.wallOverFloor <= BUDGETS.wallOverFloorWithLatency,
          }
        : {}),
    };
    const output = {
      options,
      node: process.version,
      seeding: { seconds: round(seedSeconds, 1), calls: account.calls },
      triageFirst,
      allChecks,
      apiGatewayCallRatio: ratio === null ? null : round(ratio, 1),
      processMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      budgets,
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    if (Object.values(budgets).includes(false)) process.exitCode = 1;
  } finally {
    await proxy?.stop();
    await emulator.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  });
}
