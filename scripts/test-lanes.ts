/**
 * `npm test`: the three test lanes of jest.config.js, run at once, each into its own log, then one
 * table of what passed and how long each took, the slowest marked. A failing lane's log is printed.
 *
 *   fast      lint (biome), dead code (knip), types (tsc), unit tests with their coverage gate
 *   emulator  test/integration against one moto server per Jest worker; no coverage
 *   release   pack and install, the bundled handler, every stack variant, the README, the demo
 *
 * `npm test -- fast` (or `emulator`, `release`) runs only the lanes named.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

interface Step {
  name: string;
  command: string[];
}

interface Lane {
  name: string;
  /** Run in order; the lane stops at the first that fails. */
  steps: Step[];
  /** Waits for the emulator's install: two lanes must not build one venv at once. */
  needsEmulator: boolean;
  /**
   * Runs at a lower CPU priority (`nice`), so the fast lane, which answers first whether a change is
   * sound, keeps the cores it needs while the slower lanes share what is left.
   */
  yieldsCpu: boolean;
}

const root = join(__dirname, '..');
const logDir = join(root, 'test-results', 'lanes');
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const jest = (...args: string[]): string[] => [bin('jest'), '--ci', '--silent', ...args];

/**
 * Jest workers of the emulator lane: its tests mostly wait on their moto server and child processes,
 * so it takes one more worker than the machine has cores, sharing them with the other two lanes.
 */
const emulatorWorkers = Math.max(2, availableParallelism() + 1);

const LANES: readonly Lane[] = [
  {
    name: 'fast',
    needsEmulator: false,
    yieldsCpu: false,
    steps: [
      { name: 'lint', command: [bin('biome'), 'check', '.'] },
      { name: 'dead code', command: [bin('knip'), '--no-progress'] },
      { name: 'types', command: [bin('tsc'), '--noEmit'] },
      { name: 'unit', command: jest('--selectProjects', 'unit', '--coverage') },
    ],
  },
  {
    name: 'emulator',
    needsEmulator: true,
    yieldsCpu: true,
    steps: [
      {
        name: 'integration',
        command: jest(
          '--selectProjects',
          'integration',
          '--coverage=false',
          `--maxWorkers=${emulatorWorkers}`,
        ),
      },
    ],
  },
  {
    name: 'release',
    needsEmulator: true,
    yieldsCpu: true,
    steps: [
      { name: 'release', command: jest('--selectProjects', 'release', '--coverage=false', '--maxWorkers=1') },
    ],
  },
];

interface Outcome {
  lane: string;
  ok: boolean;
  seconds: number;
  steps: string[];
  log: string;
}

function run(command: string[], log: string): Promise<number> {
  return new Promise((resolve) => {
    const [program, ...args] = command as [string, ...string[]];
    const child = spawn(program, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
    const write = (chunk: Buffer) => writeFileSync(log, chunk, { flag: 'a' });
    child.stdout.on('data', write);
    child.stderr.on('data', write);
    child.on('error', (error) => {
      write(Buffer.from(`${error.message}\n`));
      resolve(127);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const seconds = (since: number): number => (Date.now() - since) / 1000;
function clock(value: number): string {
  const whole = Math.round(value);
  return whole >= 60 ? `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
}

async function runLane(lane: Lane, emulatorReady: Promise<boolean>): Promise<Outcome> {
  const log = join(logDir, `${lane.name}.log`);
  writeFileSync(log, '');
  const started = Date.now();
  const steps: string[] = [];
  const outcome = (ok: boolean): Outcome => ({ lane: lane.name, ok, seconds: seconds(started), steps, log });
  if (lane.needsEmulator && !(await emulatorReady)) {
    writeFileSync(log, 'the emulator could not be installed: see emulator-install.log\n', { flag: 'a' });
    return outcome(false);
  }
  for (const step of lane.steps) {
    const stepStarted = Date.now();
    writeFileSync(log, `\n$ ${step.command.join(' ')}\n`, { flag: 'a' });
    const command =
      lane.yieldsCpu && process.platform !== 'win32' ? ['nice', '-n', '10', ...step.command] : step.command;
    const code = await run(command, log);
    steps.push(`${step.name} ${clock(seconds(stepStarted))}`);
    if (code !== 0) {
      steps[steps.length - 1] += ' FAILED';
      return outcome(false);
    }
  }
  process.stdout.write(`lane ${lane.name} passed in ${clock(seconds(started))}\n`);
  return outcome(true);
}

/** Jest's totals line ("Tests: 3 failed, 120 passed, 123 total") of a lane's log, when it has one. */
function jestTotals(log: string): string {
  const lines = readFileSync(log, 'utf8').split('\n');
  return lines.filter((line) => /^Tests:/.test(line)).at(-1) ?? '';
}

/** The coverage summary's lines of a lane's log (the fast lane's). */
function coverageLines(log: string): string[] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => /^(Statements|Branches|Functions|Lines)\s*:/.test(line));
}

async function main(names: readonly string[]): Promise<number> {
  const lanes = names.length > 0 ? LANES.filter((lane) => names.includes(lane.name)) : LANES;
  if (lanes.length === 0 || lanes.length < names.length) {
    process.stderr.write(`lanes: ${LANES.map((lane) => lane.name).join(', ')} (got ${names.join(', ')})\n`);
    return 2;
  }
  mkdirSync(logDir, { recursive: true });
  process.stdout.write(`lanes ${lanes.map((lane) => lane.name).join(', ')}: logs in ${logDir}\n`);
  const started = Date.now();
  const installLog = join(logDir, 'emulator-install.log');
  writeFileSync(installLog, '');
  const emulatorReady = lanes.some((lane) => lane.needsEmulator)
    ? run(
        [bin('tsx'), '-e', "require('./scripts/emulator').ensureEmulatorInstalled(console.error)"],
        installLog,
      ).then((code) => {
        process.stdout.write(
          `emulator ${code === 0 ? 'ready' : 'install FAILED'} after ${clock(seconds(started))}\n`,
        );
        return code === 0;
      })
    : Promise.resolve(true);
  const outcomes = await Promise.all(lanes.map((lane) => runLane(lane, emulatorReady)));

  for (const failed of outcomes.filter((outcome) => !outcome.ok)) {
    process.stdout.write(`\n===== lane ${failed.lane} FAILED: its log (${failed.log}) =====\n`);
    process.stdout.write(readFileSync(failed.log, 'utf8'));
  }
  const slowest = outcomes.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  process.stdout.write('\nlane      result  time     steps\n');
  for (const outcome of outcomes) {
    const mark = outcomes.length > 1 && outcome === slowest ? '  <- slowest' : '';
    process.stdout.write(
      `${outcome.lane.padEnd(10)}${(outcome.ok ? 'pass' : 'FAIL').padEnd(8)}${clock(outcome.seconds).padEnd(9)}` +
        `${outcome.steps.join(', ')}${mark}\n`,
    );
  }
  for (const outcome of outcomes) {
    const totals = jestTotals(outcome.log);
    if (totals) process.stdout.write(`${outcome.lane.padEnd(10)}${totals}\n`);
  }
  const fast = outcomes.find((outcome) => outcome.lane === 'fast');
  if (fast) for (const line of coverageLines(fast.log)) process.stdout.write(`fast      coverage ${line}\n`);
  process.stdout.write(`all lanes: ${clock(seconds(started))} wall clock\n`);
  return outcomes.every((outcome) => outcome.ok) ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
