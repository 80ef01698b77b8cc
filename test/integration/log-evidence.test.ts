/**
 * The log evidence of `execution-log-network-errors`, end to end on the emulator: log groups and
 * their lines written with PutLogEvents, searched with FilterLogEvents. The emulator reads no
 * `?"a" ?"b"` pattern and returns every line of the window: what counts is decided again on each
 * line, so noise lines here must never be counted.
 *   orders-rest/prod     REST, execution logging INFO, 5 "Execution failed due to configuration
 *                        error" lines among noise                                      -> FAIL (5)
 *   shop-a, shop-b       HTTP, one shared group, JSON format with $context.apiId and $context.stage;
 *                        every error line is shop-b's                         -> shop-a SKIPPED, shop-b FAIL
 *   plain-a, plain-b     HTTP, one shared group, format without API id or stage -> SKIPPED, not attributed
 *   bare                 HTTP, format without error text                         -> SKIPPED, not searched
 */
import { UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { CreateApiCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { runAudit } from '../../lambda/audit';
import type { AwsClients } from '../../lambda/collect/clients';
import type { Finding, Report } from '../../lambda/domain/types';
import { must, useEmulator } from '../support/emulator';
import { deployMockRestApi } from '../support/emulator-apis';

const TIMEOUT_MS = 90_000;
const PREFIX = '/apigw/access/';
const NETWORK_ERROR = 'Network error communicating with endpoint';

const ATTRIBUTED_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  apiId: '$context.apiId',
  stage: '$context.stage',
  status: '$context.status',
  error: '$context.integrationErrorMessage',
});
const PLAIN_FORMAT = '$context.requestId $context.status "$context.integrationErrorMessage"';
const BARE_FORMAT = '$context.requestId $context.status $context.integrationStatus';

async function writeLines(clients: AwsClients, group: string, lines: string[], at: number): Promise<void> {
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch(() => undefined);
  await clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'audit-test' }));
  await clients.logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: 'audit-test',
      logEvents: lines.map((message, index) => ({ message, timestamp: at + index })),
    }),
  );
}

async function traffic(clients: AwsClients, dimensions: Record<string, string>, errors: string, at: Date) {
  await clients.cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/ApiGateway',
      MetricData: ['Count', errors].map((MetricName) => ({
        MetricName,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
        Timestamp: at,
        Value: MetricName === 'Count' ? 1000 : 300,
      })),
    }),
  );
}

async function httpStage(clients: AwsClients, name: string, logGroup: string, format: string, at: Date) {
  const api = await clients.apiGatewayV2.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }));
  const apiId = must(api.ApiId, name);
  await clients.apiGatewayV2.send(
    new CreateStageCommand({
      ApiId: apiId,
      StageName: 'prod',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: `arn:aws:logs:us-east-1:123456789012:log-group:${logGroup}`,
        Format: format,
      },
    }),
  );
  await traffic(clients, { ApiId: apiId, Stage: 'prod' }, '5xx', at);
  return apiId;
}

async function restStageWithExecutionLogs(clients: AwsClients, name: string, at: Date): Promise<string> {
  const restApiId = await deployMockRestApi(clients, name, 'prod');
  await clients.apiGateway.send(
    new UpdateStageCommand({
      restApiId,
      stageName: 'prod',
      patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }],
    }),
  );
  await traffic(clients, { ApiName: name, Stage: 'prod' }, '5XXError', at);
  return restApiId;
}

const accessLine = (apiId: string, error: string) =>
  JSON.stringify({ requestId: `r-${Math.random()}`, apiId, stage: 'prod', status: '504', error });

describe('log evidence on the emulator', () => {
  const aws = useEmulator();
  const now = new Date();
  let report: Report;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const clients = aws.clients({ rateLimits: false });
    // Inside the audit window (the hour before the last full period), with room for every line.
    const at = new Date(Math.floor(now.getTime() / 300_000) * 300_000 - 10 * 60_000);

    ids.rest = await restStageWithExecutionLogs(clients, 'orders-rest', at);
    await writeLines(
      clients,
      `API-Gateway-Execution-Logs_${ids.rest}/prod`,
      [
        ...Array.from(
          { length: 5 },
          (_, n) =>
            `(req-${n}) Execution failed due to configuration error: There was an internal error while executing your request`,
        ),
        '(req-9) Method request path: {}',
        '(req-9) Method completed with status: 200',
      ],
      at.getTime(),
    );

    // Two stages logging to one group in one format, and the lines of that group.
    const sharing = async (
      group: string,
      format: string,
      names: [string, string],
    ): Promise<[string, string]> => {
      const [a, b] = names;
      return [
        await httpStage(clients, a, `${PREFIX}${group}`, format, at),
        await httpStage(clients, b, `${PREFIX}${group}`, format, at),
      ];
    };
    [ids.shopA, ids.shopB] = await sharing('shared', ATTRIBUTED_FORMAT, ['shop-a', 'shop-b']);
    const shopLines = [
      ...Array.from({ length: 30 }, () => accessLine(must(ids.shopB, 'shop-b'), NETWORK_ERROR)),
      accessLine(must(ids.shopA, 'shop-a'), '-'),
    ];
    await writeLines(clients, `${PREFIX}shared`, shopLines, at.getTime());
    [ids.plainA, ids.plainB] = await sharing('plain', PLAIN_FORMAT, ['plain-a', 'plain-b']);
    const plainLines = [`r-1 504 "${NETWORK_ERROR}"`, `r-2 504 "${NETWORK_ERROR}"`];
    await writeLines(clients, `${PREFIX}plain`, plainLines, at.getTime());

    const bare = `${PREFIX}bare`;
    ids.bare = await httpStage(clients, 'bare', bare, BARE_FORMAT, at);
    await writeLines(clients, bare, [`r-3 504 ${NETWORK_ERROR}`], at.getTime());

    report = await runAudit(aws.auditRequest(now, { accessLogGroupPrefix: PREFIX }));
  }, TIMEOUT_MS);

  const evidenceOf = (apiId: string | undefined): Finding => {
    const found = report.findings.filter(
      (finding) =>
        finding.checkId === 'execution-log-network-errors' && finding.apis.some((api) => api.apiId === apiId),
    );
    expect(found).toHaveLength(1);
    return found[0] as Finding;
  };

  it('counts the "Execution failed due to configuration error" lines of a REST execution log group, not the noise', () => {
    const finding = evidenceOf(ids.rest);
    expect(finding.status).toBe('FAIL');
    expect(finding.message).toContain(
      `5 execution log lines of orders-rest/prod in API-Gateway-Execution-Logs_${ids.rest}/prod carry a documented network or VPC-link error: "Execution failed due to configuration error" (5)`,
    );
  });

  it('does not charge one API the lines another API wrote to a shared access-log group', () => {
    const finding = evidenceOf(ids.shopA);
    expect(finding.status).toBe('SKIPPED');
    expect(finding.message).toContain('30 matching lines of other APIs or stages not counted');
    expect(finding.evidence).toMatchObject({ count: 0, otherStages: 30 });
  });

  it('charges the API that wrote them (its twin)', () => {
    const finding = evidenceOf(ids.shopB);
    expect(finding.status).toBe('FAIL');
    expect(finding.evidence).toMatchObject({ count: 30, byMessage: { [NETWORK_ERROR]: 30 } });
  });

  it('says lines in a shared group whose format names no API or stage cannot be attributed', () => {
    for (const apiId of [ids.plainA, ids.plainB]) {
      const finding = evidenceOf(apiId);
      expect(finding.status).toBe('SKIPPED');
      expect(finding.message).toContain('the lines cannot be attributed to');
    }
  });

  it('skips an access log whose format holds no error text, saying what to add, without searching it', () => {
    const finding = evidenceOf(ids.bare);
    expect(finding.status).toBe('SKIPPED');
    expect(finding.message).toContain('the access log format holds no error text');
    expect(finding.message).toContain('add $context.integrationErrorMessage to the format');
  });

  it('searches each searched stage with one FilterLogEvents call', () => {
    // REST 1, shop 2, plain 2; bare is not searched.
    expect(report.stats.awsCalls['CloudWatchLogs.FilterLogEvents']).toBe(5);
  });
});
