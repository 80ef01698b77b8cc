/**
 * `npm run bench:cold-start`: bundles lambda/handler.ts the ways a Lambda function can ship it (the
 * AWS SDK inside the bundle; `@aws-sdk/*` left to the Lambda runtime's copy; the SDK bundled but the
 * clients loaded on first use shipped beside it) and measures what a cold start pays for each: bundle
 * size and the time to load (`require`) the module, as the median of fresh Node processes. Also lists
 * the SDK client packages a load evaluates (the rest wait for first use). Prints JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const projectRoot = join(__dirname, '..');
const outDir = join(projectRoot, 'dist', 'cold-start');
const RUNS = 7;
const LOAD_BUDGET_MS = 150;

export interface BundleVariant {
  name: string;
  external: string[];
}

/** The SDK packages only a failing stage (EC2, ELB, Logs, ACM, Cloud Map) or a notification (SNS, DynamoDB) needs. */
export const LAZILY_LOADED_SDK_PACKAGES = [
  '@aws-sdk/client-ec2',
  '@aws-sdk/client-elastic-load-balancing-v2',
  '@aws-sdk/client-cloudwatch-logs',
  '@aws-sdk/client-sns',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-acm',
  '@aws-sdk/client-servicediscovery',
] as const;

export const VARIANTS: readonly BundleVariant[] = [
  { name: 'sdk-bundled', external: [] },
  // What NodejsFunction does by default on Node 18+ runtimes: the runtime provides the SDK v3.
  { name: 'sdk-external', external: ['@aws-sdk/*'] },
  // The SDK bundled except the clients loaded on first use (NodejsFunction `nodeModules` would ship
  // these pinned, beside the bundle): a cold start then neither evaluates nor parses them.
  { name: 'sdk-bundled-lazy-clients-beside', external: [...LAZILY_LOADED_SDK_PACKAGES] },
];

export interface VariantResult {
  name: string;
  bytes: number;
  gzipBytes: number;
  requireMs: { median: number; min: number; max: number; runs: number[] };
  withinBudget: boolean;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
};

export async function bundleHandler(variant: BundleVariant, directory = outDir): Promise<string> {
  const outfile = join(directory, `${variant.name}.js`);
  await build({
    entryPoints: [join(projectRoot, 'lambda', 'handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    keepNames: true, // as lib/network-auditor.ts bundles it (no source map)
    external: variant.external,
    logLevel: 'error',
  });
  return outfile;
}

/**
 * The `@aws-sdk/*` client packages a fresh process loads when it `require`s a bundle built with the
 * SDK external (with the SDK bundled, the same packages are evaluated, from inside the bundle).
 */
export function sdkClientsLoadedAtStartup(file: string): string[] {
  const script = `const M=require('module');const load=M._load;const seen=new Set();M._load=function(request){if(/^@aws-sdk\\/(client-|lib-)/.test(request))seen.add(request);return load.apply(this,arguments)};require(${JSON.stringify(file)});process.stdout.write(JSON.stringify([...seen].sort()))`;
  const output = execFileSync(process.execPath, ['-e', script], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { ...process.env, POWERTOOLS_SERVICE_NAME: 'cold-start', POWERTOOLS_METRICS_NAMESPACE: 'ColdStart' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(output) as string[];
}

/** Milliseconds one fresh Node process takes to `require` the bundle (module evaluation included). */
function timeRequire(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const output = execFileSync(process.execPath, ['-e', script], {
    cwd: projectRoot,
    encoding: 'utf8',
    // The handler reads its configuration at invocation, not at load; these only quiet Powertools.
    env: { ...process.env, POWERTOOLS_SERVICE_NAME: 'cold-start', POWERTOOLS_METRICS_NAMESPACE: 'ColdStart' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return Number(output);
}

async function measure(variant: BundleVariant): Promise<VariantResult> {
  const file = await bundleHandler(variant);
  timeRequire(file); // warms the file-system cache, as the Lambda runtime's first read would not count it twice
  const runs = Array.from({ length: RUNS }, () => Math.round(timeRequire(file) * 10) / 10);
  const requireMs = { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
  return {
    name: variant.name,
    bytes: statSync(file).size,
    gzipBytes: gzipSync(readFileSync(file)).length,
    requireMs,
    withinBudget: requireMs.median < LOAD_BUDGET_MS,
  };
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const results: VariantResult[] = [];
  for (const variant of VARIANTS) results.push(await measure(variant));
  const fastest = [...results].sort((a, b) => a.requireMs.median - b.requireMs.median)[0];
  const external = VARIANTS.find((variant) => variant.name === 'sdk-external');
  const loadedAtStartup = external ? sdkClientsLoadedAtStartup(join(outDir, `${external.name}.js`)) : [];
  process.stdout.write(
    `${JSON.stringify(
      {
        node: process.version,
        runsPerVariant: RUNS,
        budgetMs: LOAD_BUDGET_MS,
        variants: results,
        fastestToLoad: fastest?.name,
        sdkClientsLoadedAtStartup: loadedAtStartup,
        note: 'sdk-external loads the SDK from node_modules here; on Lambda it comes from the runtime image',
      },
      null,
      2,
    )}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  });
}
