/**
 * runCli with the audit injected (Report objects in, exit codes and output out). The CLI run as a
 * process against the emulator is in test/integration/cli.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AuditRequest } from '../../../lambda/audit';
import type { CheckDefinition } from '../../../lambda/checks/check-definition';
import { type CliDeps, HELP_HINT, runCli } from '../../../lambda/cli/main';
import { MemoryStateStore } from '../../../lambda/cli/memory-state-store';
import type { Report } from '../../../lambda/domain/types';
import type { FindingStateStore } from '../../../lambda/notify/finding-state';
import { DEFAULT_THRESHOLDS } from '../../../lambda/triage/classify-stage';
import { type FakeIo, fakeIo } from './fixtures/cli-io';
import { aFinding, aReport } from './fixtures/report';

const NOW = new Date('2026-11-29T12:00:00Z');

const TRIAGE_EVENT = {
  phase: 'triage',
  region: 'us-east-1',
  regionIndex: 1,
  regionCount: 1,
  stagesSeen: 3,
  pathsToFollow: 0,
  pathsFollowed: 0,
  awsCalls: 7,
} as const;

function fakeDeps(report: Report = aReport(), overrides: Partial<CliDeps> = {}) {
  const requests: AuditRequest[] = [];
  const deps: Partial<CliDeps> = {
    runAudit: jest.fn(async (request: AuditRequest) => {
      requests.push(request);
      return report;
    }),
    verifyCredentials: jest.fn(async (): Promise<string | undefined> => '123456789012'),
    profileRegion: jest.fn(async () => undefined),
    now: () => NOW,
    version: () => '9.9.9',
    ...overrides,
  };
  return { deps, requests };
}

/** A report whose one stage belongs to API `apiId`. */
function withApi(apiId: string): Report {
  const report = aReport();
  return { ...report, apis: report.apis.map((api) => ({ ...api, apiId })) };
}

const failing = (severity: 'critical' | 'high' | 'medium' | 'low' | 'info') =>
  aReport({
    findings: [
      aFinding({ status: 'FAIL', severity }),
      aFinding({ checkId: 'vpc-link-status', status: 'PASS' }),
    ],
  });

describe('runCli exit codes', () => {
  it('exits 0 when no finding fails', async () => {
    // Arrange
    const io = fakeIo();
    const { deps } = fakeDeps(
      aReport({ findings: [aFinding({ status: 'WARN' }), aFinding({ status: 'ERROR' })] }),
    );

    // Act
    const code = await runCli([], io, deps);

    // Assert
    expect(code).toBe(0);
  });

  it('exits 1 when a stage verdict names a cause (the default --fail-on causes), whatever its severity', async () => {
    // Arrange
    const io = fakeIo();
    const { deps } = fakeDeps(failing('low'));

    // Act
    const code = await runCli([], io, deps);

    // Assert
    expect(code).toBe(1);
  });

  it('exits 0 on hygiene FAILs alone by default, and 1 when asked to fail on their severity (twin)', async () => {
    // Arrange: flow logs and access logging off, nothing on the path broken
    const hygiene = aReport({
      findings: [
        aFinding({ checkId: 'vpc-flow-logs', status: 'FAIL', severity: 'low' }),
        aFinding({ checkId: 'stage-access-logging', status: 'FAIL', severity: 'low' }),
      ],
    });

    // Act / Assert
    expect(await runCli([], fakeIo(), fakeDeps(hygiene).deps)).toBe(0);
    expect(await runCli(['--fail-on', 'low'], fakeIo(), fakeDeps(hygiene).deps)).toBe(1);
  });

  it('exits 3 when the audit is incomplete and found no failure, never 0', async () => {
    // Arrange: a role that could read nothing but its own identity
    const io = fakeIo();
    const nothing = aReport({
      apis: [],
      findings: [],
      complete: false,
      incompleteReasons: [
        'apigateway:GetRestApis failed in us-east-1 (AccessDeniedException): not authorized',
      ],
    });

    // Act
    const code = await runCli([], io, fakeDeps(nothing).deps);

    // Assert
    expect(code).toBe(3);
    expect(io.out().split('\n').slice(0, 6).join('\n')).toContain('apigateway:GetRestApis failed');
    expect(io.out()).not.toContain('No findings need attention.');
  });

  it('exits 1, not 3, when an incomplete audit still found a cause (twin)', async () => {
    const partial = { ...failing('high'), complete: false, incompleteReasons: ['time budget exhausted'] };
    expect(await runCli([], fakeIo(), fakeDeps(partial).deps)).toBe(1);
  });

  it('exits 0 when the only FAIL is below --fail-on', async () => {
    expect(await runCli(['--fail-on', 'low'], fakeIo(), fakeDeps(failing('info')).deps)).toBe(0);
    expect(await runCli(['--fail-on', 'high'], fakeIo(), fakeDeps(failing('medium')).deps)).toBe(0);
    expect(await runCli(['--fail-on', 'high'], fakeIo(), fakeDeps(failing('critical')).deps)).toBe(1);
    expect(await runCli(['--fail-on', 'none'], fakeIo(), fakeDeps(failing('critical')).deps)).toBe(0);
  });

  it('exits 2 with the problem and one line pointing at --help on a bad flag, without auditing', async () => {
    // Arrange
    const io = fakeIo();
    const { deps } = fakeDeps();

    // Act
    const code = await runCli(['--format', 'xml'], io, deps);

    // Assert
    expect(code).toBe(2);
    expect(io.err().split('\n')).toEqual([
      expect.stringContaining('api-network-auditor: --format must be one of text, json'),
      HELP_HINT,
      '',
    ]);
    expect(io.out()).toBe('');
    expect(deps.runAudit).not.toHaveBeenCalled();
  });

  it('suggests the flag meant by a typo in two lines', async () => {
    const io = fakeIo();
    expect(await runCli(['--regoin', 'us-east-1'], io, fakeDeps().deps)).toBe(2);
    expect(io.err()).toBe(
      `api-network-auditor: unknown option --regoin (did you mean --region?)\n${HELP_HINT}\n`,
    );
  });

  it('exits 2 pointing at --help when --publish comes without --topic-arn', async () => {
    const io = fakeIo();
    expect(await runCli(['--publish'], io, fakeDeps().deps)).toBe(2);
    expect(io.err()).toContain('--publish needs --topic-arn ARN');
    expect(io.err()).toContain('--help');
    expect(io.err()).not.toContain('Usage:');
  });

  it('exits 2 naming the API ids of which no stage was found, without printing a report', async () => {
    // Arrange: the report holds stages of a1b2c3d4e5 only
    const io = fakeIo();
    const { deps } = fakeDeps(withApi('a1b2c3d4e5'));

    // Act
    const code = await runCli(['--api', 'a1b2c3d4e5', '--api', 'nosuchapi1'], io, deps);

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toContain('--api nosuchapi1: no stage of an API of this id or name in us-east-1');
    expect(io.out()).toBe('');
  });

  it('audits an API id that has stages (the healthy twin of the unknown id)', async () => {
    const io = fakeIo();
    expect(
      await runCli(['--api', 'a1b2c3d4e5', '--fail-on', 'none'], io, fakeDeps(withApi('a1b2c3d4e5')).deps),
    ).toBe(0);
    expect(io.err()).toBe('');
  });

  it.each([
    [['--end-time', '2026-11-29T13:00:00Z'], 'in the future'],
    [['--end-time', '2026-08-01T00:00:00Z'], 'CloudWatch keeps 5-minute data for 63 days only'],
    [['--end-time', '2026-11-01T00:00:00Z', '--period-seconds', '60'], 'keeps 1-minute data for 15 days'],
  ])('exits 2 before any AWS call for a window without data: %j', async (argv, message) => {
    const io = fakeIo();
    const { deps } = fakeDeps();
    expect(await runCli(argv, io, deps)).toBe(2);
    expect(io.err()).toContain(message);
    expect(deps.verifyCredentials).not.toHaveBeenCalled();
  });

  it('lets an emulator (--endpoint-url) hold data older than CloudWatch keeps', async () => {
    const argv = [
      '--end-time',
      '2026-01-01T00:00:00Z',
      '--endpoint-url',
      'http://127.0.0.1:5000',
      '--fail-on',
      'none',
    ];
    expect(await runCli(argv, fakeIo(), fakeDeps().deps)).toBe(0);
  });

  it('accepts a past window CloudWatch still holds, and an end a minute ahead of a skewed clock', async () => {
    const ok = ['--fail-on', 'none'];
    expect(await runCli(['--end-time', '2026-10-01T00:00:00Z', ...ok], fakeIo(), fakeDeps().deps)).toBe(0);
    expect(await runCli(['--end-time', '2026-11-29T12:01:00Z', ...ok], fakeIo(), fakeDeps().deps)).toBe(0);
  });

  it('exits 2 saying how to set a Region when none is given, set or configured', async () => {
    // Arrange
    const io = fakeIo({ env: {} });
    const { deps } = fakeDeps();

    // Act
    const code = await runCli([], io, deps);

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toContain('no AWS Region to audit (AWS_REGION, AWS_DEFAULT_REGION and the default');
    expect(io.err()).toContain('Pass --region REGION');
    expect(io.err()).toContain('AWS_REGION');
    expect(deps.runAudit).not.toHaveBeenCalled();
  });

  it('exits 2 telling how to configure credentials when the default chain has none', async () => {
    // Arrange
    const io = fakeIo();
    const missing = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    const { deps } = fakeDeps(aReport(), { verifyCredentials: jest.fn(async () => Promise.reject(missing)) });

    // Act
    const code = await runCli([], io, deps);

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toContain(
      'no usable AWS credentials (CredentialsProviderError: Could not load credentials',
    );
    expect(io.err()).toContain('aws configure');
    expect(io.err()).not.toContain('Usage:');
    expect(deps.runAudit).not.toHaveBeenCalled();
  });

  it('exits 2 when the credentials are refused by AWS', async () => {
    const io = fakeIo();
    const expired = Object.assign(new Error('The security token included in the request is expired'), {
      name: 'ExpiredToken',
    });
    const { deps } = fakeDeps(aReport(), { verifyCredentials: async () => Promise.reject(expired) });
    expect(await runCli([], io, deps)).toBe(2);
    expect(io.err()).toContain('no usable AWS credentials (ExpiredToken');
  });

  it('exits 2 naming the endpoint when STS cannot be reached', async () => {
    const io = fakeIo();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'Error' });
    const { deps } = fakeDeps(aReport(), { verifyCredentials: async () => Promise.reject(refused) });
    expect(await runCli(['--endpoint-url', 'http://127.0.0.1:1'], io, deps)).toBe(2);
    expect(io.err()).toContain('could not reach AWS STS in us-east-1 at http://127.0.0.1:1');
  });

  it('exits 2 when the audit itself throws', async () => {
    const io = fakeIo();
    const { deps } = fakeDeps(aReport(), { runAudit: async () => Promise.reject(new TypeError('boom')) });
    expect(await runCli([], io, deps)).toBe(2);
    expect(io.err()).toContain('the audit could not run: TypeError: boom');
  });
});

describe('runCli audit request', () => {
  it('passes the flags to the audit with the default thresholds', async () => {
    // Arrange
    const { deps, requests } = fakeDeps(withApi('a1b2c3d4e5'));
    const argv = ['--region', 'eu-west-1', '--region', 'us-east-1', '--api', 'a1b2c3d4e5', '--checks', 'all'];

    // Act
    await runCli(
      [
        ...argv,
        '--lookback-minutes',
        '30',
        '--period-seconds',
        '60',
        '--endpoint-url',
        'http://127.0.0.1:5000',
      ],
      fakeIo(),
      deps,
    );

    // Assert
    expect(requests).toHaveLength(1);
    expect(requests[0]).toEqual({
      regions: ['eu-west-1', 'us-east-1'],
      lookbackMinutes: 30,
      periodSeconds: 60,
      apiIds: ['a1b2c3d4e5'],
      allChecks: true,
      thresholds: DEFAULT_THRESHOLDS,
      account: '123456789012', // from the credentials check: no second STS call
      endpoint: 'http://127.0.0.1:5000',
      now: NOW,
    });
    expect(deps.verifyCredentials).toHaveBeenCalledWith({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:5000',
    });
  });

  it('audits the window that ends at --end-time instead of now', async () => {
    // Arrange
    const { deps, requests } = fakeDeps();

    // Act
    await runCli(['--region', 'us-east-1', '--end-time', '2026-11-01T08:00:00Z'], fakeIo(), deps);

    // Assert
    expect(requests[0]?.now).toEqual(new Date('2026-11-01T08:00:00Z'));
  });

  it.each([
    [{ AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'us-west-2' }, undefined, 'eu-central-1'],
    [{ AWS_DEFAULT_REGION: 'us-west-2' }, undefined, 'us-west-2'],
    [{}, 'ap-southeast-2', 'ap-southeast-2'],
  ])(
    'takes the Region from the environment %j or the profile (%s) when --region is absent',
    async (env, profile, expected) => {
      const { deps, requests } = fakeDeps(aReport(), { profileRegion: async () => profile });
      await runCli([], fakeIo({ env }), deps);
      expect(requests[0]?.regions).toEqual([expected]);
    },
  );
});

describe('runCli output', () => {
  it('writes only the report to stdout with --format json', async () => {
    // Arrange
    const io = fakeIo({ stderrTTY: true });
    const report = failing('high');

    // Act
    await runCli(['--format', 'json'], io, fakeDeps(report).deps);

    // Assert
    expect(JSON.parse(io.out())).toEqual(report);
  });

  it('renders Markdown with --format markdown', async () => {
    const io = fakeIo();
    await runCli(['--format', 'markdown'], io, fakeDeps().deps);
    expect(io.out()).toMatch(/^# API Gateway network audit\n/);
  });

  it('colours text only on a terminal, without --no-color and without NO_COLOR', async () => {
    // Arrange
    const render = async (argv: string[], io: FakeIo) => {
      await runCli(argv, io, fakeDeps().deps);
      return io.out().includes('\u001b[');
    };

    // Act / Assert
    expect(await render([], fakeIo({ stdoutTTY: true }))).toBe(true);
    expect(await render([], fakeIo({ stdoutTTY: false }))).toBe(false);
    expect(await render(['--no-color'], fakeIo({ stdoutTTY: true }))).toBe(false);
    expect(
      await render([], fakeIo({ stdoutTTY: true, env: { AWS_REGION: 'us-east-1', NO_COLOR: '1' } })),
    ).toBe(false);
  });

  it('writes the report to --output, without colour, and says where on stderr', async () => {
    // Arrange
    const io = fakeIo({ stdoutTTY: true });
    const files: Record<string, string> = {};
    const { deps } = fakeDeps(aReport(), {
      writeFile: async (path, content) => {
        files[path] = content;
      },
    });

    // Act
    const code = await runCli(['--output', 'audit.txt'], io, deps);

    // Assert
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(files['audit.txt']).toContain('API Gateway network audit');
    expect(files['audit.txt']).not.toContain('\u001b[');
    expect(io.err()).toContain('report written to audit.txt');
  });

  it('exits 2 when --output cannot be written', async () => {
    const io = fakeIo();
    const { deps } = fakeDeps(aReport(), { writeFile: async () => Promise.reject(new Error('EACCES')) });
    expect(await runCli(['--output', '/root/x'], io, deps)).toBe(2);
    expect(io.err()).toContain('could not write --output /root/x');
  });

  it('writes one file per --format into --output-dir, from one audit', async () => {
    // Arrange
    const io = fakeIo();
    const files: Record<string, string> = {};
    const { deps, requests } = fakeDeps(aReport(), {
      writeFile: async (path, content) => {
        files[path] = content;
      },
      checkWritableDirectory: async () => {},
    });

    // Act
    const code = await runCli(['--format', 'json', '--format', 'csv', '--output-dir', 'out'], io, deps);

    // Assert
    expect(code).toBe(1);
    expect(requests).toHaveLength(1);
    expect(Object.keys(files).sort()).toEqual(['out/report.csv', 'out/report.json']);
    expect(JSON.parse(files['out/report.json'] ?? '')).toMatchObject({ account: aReport().account });
    expect(files['out/report.csv']?.split('\n')[0]).toContain(',');
    expect(io.out()).toBe('');
  });

  it.each([
    [
      ['--format', 'json', '--format', 'csv', '--output-dir', '/no/such/directory'],
      '--output-dir /no/such/directory',
    ],
    [['--output', '/no/such/directory/report.json'], '--output /no/such/directory/report.json'],
  ])('exits 2 before auditing when %j cannot be written', async (argv, flag) => {
    // Arrange: the real directory check
    const io = fakeIo();
    const { deps, requests } = fakeDeps();

    // Act
    const code = await runCli(argv, io, deps);

    // Assert
    expect(code).toBe(2);
    expect(requests).toHaveLength(0);
    expect(io.err()).toContain(`${flag}: /no/such/directory is not a directory this user can write to`);
    expect(io.err()).toContain('nothing was audited');
  });

  it('writes into an existing writable --output-dir (the twin of the missing one)', async () => {
    // Arrange
    const directory = mkdtempSync(join(tmpdir(), 'cli-output-dir-'));
    const io = fakeIo();
    const { deps } = fakeDeps(aReport(), { writeFile: async () => {} });

    // Act
    const code = await runCli(
      ['--format', 'json', '--format', 'markdown', '--output-dir', directory],
      io,
      deps,
    );

    // Assert
    rmSync(directory, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(io.err()).toContain(`report written to ${join(directory, 'report.md')}`);
  });

  it('selects an API by its name as well as by its id', async () => {
    // Arrange
    const report = aReport();
    const name = report.apis[0]?.apiName ?? '';
    const io = fakeIo();
    const { deps, requests } = fakeDeps(report);

    // Act
    const code = await runCli(['--api', name, '--format', 'json'], io, deps);

    // Assert
    expect(code).toBe(1);
    expect(requests[0]?.apiIds).toEqual([name]);
  });

  it('shows progress on stderr only when stderr is a terminal', async () => {
    // Arrange
    const withProgress: Partial<CliDeps> = {
      runAudit: async (request) => {
        request.onProgress?.(TRIAGE_EVENT);
        return aReport();
      },
    };
    const terminal = fakeIo({ stderrTTY: true });
    const piped = fakeIo({ stderrTTY: false });

    // Act
    await runCli([], terminal, fakeDeps(aReport(), withProgress).deps);
    await runCli([], piped, fakeDeps(aReport(), withProgress).deps);

    // Assert
    expect(terminal.err()).toContain('us-east-1 triage: 3 stages triaged, 7 AWS calls, 0:00');
    expect(piped.err()).toBe('');
  });

  it('prints the 80-column report by default and the one-line-per-fact layout with --wide', async () => {
    const narrow = fakeIo();
    const wide = fakeIo();
    await runCli([], narrow, fakeDeps(failing('high')).deps);
    await runCli(['--wide'], wide, fakeDeps(failing('high')).deps);
    expect(narrow.out()).toContain('  Verdict: tg-unhealthy-az: ');
    expect(
      narrow
        .out()
        .split('\n')
        .filter((line) => line.length > 80 && !/^ {2}\[\d+\] /.test(line)),
    ).toEqual([]);
    expect(wide.out()).toContain('== orders/prod (a1b2c3, us-east-1)');
    expect(wide.out()).toContain('on arn:aws:elasticloadbalancing');
  });

  it('shows no progress with --quiet, even on a terminal', async () => {
    const terminal = fakeIo({ stderrTTY: true });
    const deps = fakeDeps(aReport(), {
      runAudit: async (request) => {
        request.onProgress?.(TRIAGE_EVENT);
        return aReport();
      },
    }).deps;
    await runCli(['--quiet'], terminal, deps);
    expect(terminal.err()).toBe('');
  });

  it('warns on stderr when the report is incomplete', async () => {
    const io = fakeIo();
    await runCli(
      ['--format', 'json'],
      io,
      fakeDeps(aReport({ complete: false, incompleteReasons: ['x'] })).deps,
    );
    expect(io.err()).toContain('warning: the audit is incomplete');
  });

  it('prints the usage with --help and the version with --version', async () => {
    const help = fakeIo();
    const version = fakeIo();
    expect(await runCli(['--help'], help, fakeDeps().deps)).toBe(0);
    expect(await runCli(['--version'], version, fakeDeps().deps)).toBe(0);
    expect(help.out()).toContain('Usage: api-network-auditor [options]');
    expect(version.out()).toBe('9.9.9\n');
  });
});

describe('runCli --list-checks', () => {
  const checks = [
    {
      id: 'tg-empty-az',
      title: 'Every zone has a target',
      group: 'high-frequency',
      severity: 'critical',
      runsFor: ['high-frequency'],
    },
    {
      id: 'client-retries',
      title: 'Clients retry',
      group: 'low-frequency',
      severity: 'info',
      runsFor: ['low-frequency'],
    },
  ] as unknown as CheckDefinition[];

  it('lists every check with id, severity, group, classifications and title as JSON', async () => {
    // Arrange
    const io = fakeIo({ env: {} });

    // Act
    const code = await runCli(
      ['--list-checks', '--format', 'json'],
      io,
      fakeDeps(aReport(), { listChecks: async () => checks }).deps,
    );

    // Assert
    expect(code).toBe(0);
    expect(JSON.parse(io.out())).toEqual([
      {
        id: 'tg-empty-az',
        severity: 'critical',
        group: 'high-frequency',
        runsFor: ['high-frequency'],
        title: 'Every zone has a target',
      },
      {
        id: 'client-retries',
        severity: 'info',
        group: 'low-frequency',
        runsFor: ['low-frequency'],
        title: 'Clients retry',
      },
    ]);
  });

  it('lists checks as an aligned table in text and a table in Markdown', async () => {
    const text = fakeIo();
    const markdown = fakeIo();
    await runCli(['--list-checks'], text, fakeDeps(aReport(), { listChecks: async () => checks }).deps);
    await runCli(
      ['--list-checks', '--format', 'markdown'],
      markdown,
      fakeDeps(aReport(), { listChecks: async () => checks }).deps,
    );
    expect(text.out().split('\n')[1]).toBe(
      'tg-empty-az     critical  high-frequency  high-frequency  Every zone has a target',
    );
    expect(markdown.out()).toContain(
      '| `client-retries` | info | low-frequency | low-frequency | Clients retry |',
    );
  });
});

describe('runCli --publish', () => {
  const topicArn = 'arn:aws:sns:eu-west-1:123456789012:audit';
  const sns = { marker: 'sns' } as unknown as SNSClient;

  function publishDeps(overrides: Partial<CliDeps> = {}) {
    const notifyReport = jest.fn(async (..._args: Parameters<CliDeps['notifyReport']>) => ({
      published: 2,
      changed: 2,
      resolved: 0,
      reminders: 0,
    }));
    const createSnsClient = jest.fn(async () => sns);
    const store = new MemoryStateStore() as FindingStateStore;
    const createStateStore = jest.fn(async () => store);
    const { deps } = fakeDeps(failing('high'), {
      notifyReport,
      createSnsClient,
      createStateStore,
      ...overrides,
    });
    return { deps, notifyReport, createSnsClient, createStateStore, store };
  }

  it('publishes every finding once, without state, when --state-table is absent', async () => {
    // Arrange
    const io = fakeIo();
    const { deps, notifyReport, createSnsClient, createStateStore } = publishDeps();

    // Act
    const code = await runCli(['--publish', '--topic-arn', topicArn], io, deps);

    // Assert
    expect(code).toBe(1);
    expect(createSnsClient).toHaveBeenCalledWith({ region: 'eu-west-1' });
    expect(createStateStore).not.toHaveBeenCalled();
    expect(notifyReport).toHaveBeenCalledWith(
      failing('high'),
      expect.objectContaining({ sns, topicArn, now: NOW, store: expect.any(MemoryStateStore) }),
    );
    expect(io.err()).toContain(`published 2 message(s) to ${topicArn}`);
  });

  it('uses the DynamoDB state table beside the topic when --state-table is given', async () => {
    const { deps, notifyReport, createStateStore, store } = publishDeps();
    await runCli(
      [
        '--publish',
        '--topic-arn',
        topicArn,
        '--state-table',
        'audit-state',
        '--endpoint-url',
        'http://127.0.0.1:5000',
      ],
      fakeIo(),
      deps,
    );
    expect(createStateStore).toHaveBeenCalledWith(
      { region: 'eu-west-1', endpoint: 'http://127.0.0.1:5000' },
      'audit-state',
    );
    expect(notifyReport).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ store }));
  });

  it('exits 2 after writing the report when publishing fails', async () => {
    // Arrange
    const io = fakeIo();
    const { deps } = publishDeps({
      notifyReport: async () => Promise.reject(new Error('AuthorizationError')),
    });

    // Act
    const code = await runCli(['--publish', '--topic-arn', topicArn], io, deps);

    // Assert
    expect(code).toBe(2);
    expect(io.out()).toContain('API Gateway network audit');
    expect(io.err()).toContain(`the report was written but publishing to ${topicArn} failed`);
  });
});

describe('runCli --profile', () => {
  const shared = async () => ({
    names: ['default', 'audit'],
    configFile: '/home/op/.aws/config',
    credentialsFile: '/home/op/.aws/credentials',
  });

  it('uses a profile the shared files define', async () => {
    const useProfile = jest.fn();
    const { deps } = fakeDeps(aReport(), { sharedProfiles: shared, useProfile });
    expect(await runCli(['--profile', 'audit', '--fail-on', 'none'], fakeIo(), deps)).toBe(0);
    expect(useProfile).toHaveBeenCalledWith('audit');
  });

  it('exits 2 naming an unknown profile, the files read and the profiles there', async () => {
    // Arrange
    const io = fakeIo();
    const useProfile = jest.fn();
    const { deps } = fakeDeps(aReport(), { sharedProfiles: shared, useProfile });

    // Act
    const code = await runCli(['--profile', 'prod'], io, deps);

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toContain(
      "--profile 'prod': no such profile in /home/op/.aws/config or /home/op/.aws/credentials. " +
        'Profiles there: default, audit.',
    );
    expect(useProfile).not.toHaveBeenCalled();
    expect(deps.verifyCredentials).not.toHaveBeenCalled();
  });

  it('names AWS_PROFILE when the unknown profile came from the environment', async () => {
    const io = fakeIo({ env: { AWS_REGION: 'us-east-1', AWS_PROFILE: 'gone' } });
    const { deps } = fakeDeps(aReport(), { sharedProfiles: shared, useProfile: jest.fn() });
    expect(await runCli([], io, deps)).toBe(2);
    expect(io.err()).toContain("AWS_PROFILE 'gone': no such profile");
  });

  it('names the profile that sets no Region', async () => {
    const io = fakeIo({ env: {} });
    const { deps } = fakeDeps(aReport(), { sharedProfiles: shared, useProfile: jest.fn() });
    expect(await runCli(['--profile', 'audit'], io, deps)).toBe(2);
    expect(io.err()).toContain(
      "profile 'audit' in /home/op/.aws/config or /home/op/.aws/credentials set none",
    );
    expect(io.err()).toContain('aws configure set region us-east-1 --profile audit');
  });

  it('names the profile whose credentials do not work', async () => {
    const io = fakeIo();
    const expired = Object.assign(new Error('The SSO session has expired'), {
      name: 'CredentialsProviderError',
    });
    const { deps } = fakeDeps(aReport(), {
      sharedProfiles: shared,
      useProfile: jest.fn(),
      verifyCredentials: async () => Promise.reject(expired),
    });
    expect(await runCli(['--profile', 'audit'], io, deps)).toBe(2);
    expect(io.err()).toContain("no usable AWS credentials from profile 'audit' (--profile");
    expect(io.err()).toContain('aws sso login --profile audit');
  });
});

describe('runCli --print-iam-policy', () => {
  it('prints an IAM policy document allowing exactly the actions the stack grants', async () => {
    // Arrange: the real list, as the CDK construct reads it
    const { AUDIT_IAM_ACTIONS } = await import('../../../lambda/iam-actions');
    const io = fakeIo();

    // Act
    const code = await runCli(['--print-iam-policy'], io, {});

    // Assert
    expect(code).toBe(0);
    const policy = JSON.parse(io.out()) as { Statement: { Action: string[]; Resource: unknown }[] };
    const actions = policy.Statement.flatMap((statement) => statement.Action);
    expect(actions.sort()).toEqual([...AUDIT_IAM_ACTIONS].sort());
    for (const action of actions)
      expect(action).toMatch(/^([a-z0-9-]+:(Describe|Get|List)\w+|apigateway:GET|logs:FilterLogEvents)$/);
    const onEverything = policy.Statement.filter((statement) => statement.Resource === '*');
    expect(onEverything.flatMap((statement) => statement.Action)).not.toContain('apigateway:GET');
    expect(onEverything.flatMap((statement) => statement.Action)).not.toContain('logs:FilterLogEvents');
  });
});

describe('runCli --exclude-checks and --mute-file', () => {
  const checks = ['tg-empty-az', 'vpc-flow-logs', 'client-retries'].map((id) => ({ id }) as CheckDefinition);

  it('passes the mute file and the excluded checks to the audit', async () => {
    // Arrange
    const file = JSON.stringify({
      excludeChecks: ['client-retries'],
      mutes: [{ checkId: 'vpc-flow-logs', resource: 'arn:*', reason: 'no flow logs by policy' }],
    });
    const { deps, requests } = fakeDeps(aReport(), {
      listChecks: async () => checks,
      readFile: async () => file,
    });

    // Act
    await runCli(
      ['--mute-file', 'mutes.json', '--exclude-checks', 'tg-empty-az,client-retries'],
      fakeIo(),
      deps,
    );

    // Assert
    expect(requests[0]?.suppressions).toEqual({
      excludeChecks: ['client-retries', 'tg-empty-az'],
      mutes: [{ checkId: 'vpc-flow-logs', resource: 'arn:*', reason: 'no flow logs by policy' }],
    });
  });

  it('exits 2 before any AWS call on an unknown check id, suggesting the nearest', async () => {
    const io = fakeIo();
    const { deps } = fakeDeps(aReport(), { listChecks: async () => checks });
    expect(await runCli(['--exclude-checks', 'vpc-flowlogs'], io, deps)).toBe(2);
    expect(io.err()).toContain('--exclude-checks: no such check: vpc-flowlogs (did you mean vpc-flow-logs?)');
    expect(deps.verifyCredentials).not.toHaveBeenCalled();
  });

  it('exits 2 naming the mute file and the rule without a reason', async () => {
    const io = fakeIo();
    const { deps } = fakeDeps(aReport(), {
      listChecks: async () => checks,
      readFile: async () => '{"mutes": [{"checkId": "vpc-flow-logs"}]}',
    });
    expect(await runCli(['--mute-file', 'mutes.json'], io, deps)).toBe(2);
    expect(io.err()).toContain('--mute-file mutes.json: mutes.0.reason');
    expect(deps.runAudit).not.toHaveBeenCalled();
  });

  it('warns that an expired mute rule no longer hides its findings', async () => {
    const io = fakeIo();
    const { deps } = fakeDeps(aReport(), {
      listChecks: async () => checks,
      readFile: async () => '{"mutes": [{"findingId": "f1", "reason": "accepted", "expires": "2026-11-01"}]}',
    });
    await runCli(['--mute-file', 'mutes.json', '--fail-on', 'none'], io, deps);
    expect(io.err()).toContain('warning: a mute rule expired on 2026-11-01 (f1: accepted)');
  });

  it('counts muted findings and excluded checks under the summary', async () => {
    const io = fakeIo();
    const report = {
      ...aReport(),
      muted: [
        {
          id: 'f1',
          checkId: 'vpc-flow-logs',
          status: 'FAIL' as const,
          severity: 'low' as const,
          resourceArn: 'arn:x',
          reason: 'r',
        },
      ],
      excludedChecks: ['client-retries'],
    };
    await runCli(['--fail-on', 'none'], io, fakeDeps(report).deps);
    expect(io.out()).toContain(
      'Muted: 1 finding (reasons in the JSON report); checks left out: client-retries.',
    );
  });
});

describe('runCli --accounts', () => {
  const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
  const argv = [
    '--accounts',
    ACCOUNTS.join(','),
    '--role-name',
    'Auditor',
    '--region',
    'us-east-1',
    '--region',
    'eu-west-1',
  ];

  /** Each account and Region audited by a stub: the third account's role is denied. */
  function fanOutDeps(denied: readonly string[] = ['333333333333']) {
    const calls: {
      target: { account: string; region: string };
      access: unknown;
      base: Record<string, unknown>;
    }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const running = new Set<string>();
    let sameItemTwice = false;
    const auditTarget: CliDeps['auditTarget'] = async (target, access, base) => {
      calls.push({ target, access, base: base as Record<string, unknown> });
      const key = `${target.account}|${target.region}`;
      sameItemTwice ||= running.has(key);
      running.add(key);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      running.delete(key);
      if (denied.includes(target.account))
        return {
          target,
          error: {
            action: 'STS.AssumeRole',
            code: 'AccessDenied',
            message: 'deploy the member-account template',
          },
        };
      const part = aReport({
        account: target.account,
        regions: [target.region],
        findings: [
          aFinding({ status: 'FAIL', severity: 'high', region: target.region, account: target.account }),
        ],
      });
      return {
        target,
        report: { ...part, apis: part.apis.map((api) => ({ ...api, region: target.region })) },
      };
    };
    const { deps } = fakeDeps(aReport(), { auditTarget });
    return { deps, calls, stats: () => ({ maxInFlight, sameItemTwice }) };
  }

  it('audits every account in every Region through the role, a few at a time, into one merged report', async () => {
    // Arrange
    const io = fakeIo();
    const { deps, calls, stats } = fanOutDeps();

    // Act
    const code = await runCli([...argv, '--format', 'json'], io, deps);

    // Assert
    expect(calls.map(({ target }) => `${target.account} ${target.region}`).sort()).toEqual(
      ACCOUNTS.flatMap((account) => [`${account} eu-west-1`, `${account} us-east-1`]),
    );
    expect(calls[0]?.access).toEqual({ roleName: 'Auditor' });
    expect(calls[0]?.base).not.toHaveProperty('regions');
    expect(calls[0]?.base).not.toHaveProperty('account');
    expect(stats().maxInFlight).toBeLessThanOrEqual(4);
    expect(stats().maxInFlight).toBeGreaterThan(1);
    expect(stats().sameItemTwice).toBe(false);
    const report = JSON.parse(io.out()) as Report;
    expect(report.account).toBeNull();
    expect(report.accounts?.map((account) => [account.id, account.status])).toEqual([
      ['111111111111', 'audited'],
      ['222222222222', 'audited'],
      ['333333333333', 'error'],
    ]);
    expect(report.findings.map((finding) => finding.account).sort()).toEqual([
      '111111111111',
      '111111111111',
      '222222222222',
      '222222222222',
    ]);
    // Some accounts could not be audited: the report says so and stderr warns; findings decide the exit status.
    expect(io.err()).toContain(
      'warning: account 333333333333 could not be audited (STS.AssumeRole AccessDenied): deploy the member-account template',
    );
    expect(code).toBe(1);
    expect(deps.runAudit).not.toHaveBeenCalled();
  });

  it('sends the external id, and exits 3 (incomplete, not 0) when the accounts it reached have no FAIL', async () => {
    // Arrange
    const io = fakeIo();
    const { deps, calls } = fanOutDeps();

    // Act
    const code = await runCli([...argv, '--external-id', 'org-7', '--fail-on', 'critical'], io, deps);

    // Assert
    expect(calls[0]?.access).toEqual({ roleName: 'Auditor', externalId: 'org-7' });
    // One account could not be audited: the audit is incomplete.
    expect(code).toBe(3);
  });

  it('exits 2, after writing the report, when no account could be audited', async () => {
    // Arrange
    const io = fakeIo();
    const { deps } = fanOutDeps(ACCOUNTS);

    // Act
    const code = await runCli(argv, io, deps);

    // Assert
    expect(code).toBe(2);
    expect(io.out()).toContain('3 accounts: 0 audited, 3 could not be audited');
  });

  it.each(['text', 'json', 'markdown', 'csv', 'junit', 'asff', 'ocsf'])(
    'renders the merged report as %s',
    async (format) => {
      // Arrange
      const io = fakeIo();
      const { deps } = fanOutDeps();

      // Act
      const code = await runCli([...argv, '--format', format], io, deps);

      // Assert
      expect(code).toBe(1);
      expect(io.out()).toContain('111111111111');
      expect(io.out()).toContain('222222222222');
    },
  );

  it('says on a terminal as each account and Region is done, and nothing when --quiet', async () => {
    // Arrange
    const terminal = fakeIo({ stderrTTY: true });
    const quiet = fakeIo({ stderrTTY: true });

    // Act
    await runCli(argv, terminal, fanOutDeps().deps);
    await runCli([...argv, '--quiet'], quiet, fanOutDeps().deps);

    // Assert
    expect(terminal.err()).toContain(
      'api-network-auditor: 333333333333 eu-west-1 could not be audited (AccessDenied)',
    );
    expect(terminal.err()).toMatch(/111111111111 us-east-1 audited \(\d\/6\)/);
    expect(terminal.err()).toContain('(6/6)');
    expect(quiet.err()).not.toContain('(6/6)');
  });

  it('exits 2 with a clear message on bad account flags', async () => {
    // Arrange
    const io = fakeIo();

    // Act
    const code = await runCli(['--accounts', '12345'], io, fanOutDeps().deps);

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toContain("--accounts must list 12-digit account ids separated by commas (got '12345')");
  });

  it('prints the caller policy for the member roles with --print-iam-policy --role-name', async () => {
    // Arrange
    const io = fakeIo();

    // Act
    const code = await runCli(
      ['--print-iam-policy', '--role-name', 'Auditor', '--accounts', '111111111111'],
      io,
      {},
    );

    // Assert
    expect(code).toBe(0);
    expect(JSON.parse(io.out())).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ApiNetworkAuditorAssumeMemberRoles',
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Resource: ['arn:aws:iam::111111111111:role/Auditor'],
          // biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variable
          Condition: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } },
        },
      ],
    });
  });
});
