import { executionLogNetworkErrors } from '../../../lambda/checks/execution-log-network-errors';
import { collected, failed, type LogLineCount } from '../../../lambda/domain/types';
import {
  ACCOUNT,
  accessDenied,
  aLogLineCount,
  albScenario,
  aStageInventory,
  aStageSettings,
  nlbScenario,
  onlyResult,
  REGION,
  resultsOf,
} from '../../support/inventory-builders';

const withLines = (lines: LogLineCount | null) =>
  nlbScenario({ stage: { networkErrorLogLines: collected(lines) } }).build();

describe('execution-log-network-errors', () => {
  it('fails with the count when log lines confirm the network error', () => {
    const result = onlyResult(
      executionLogNetworkErrors,
      withLines(aLogLineCount({ count: 87, byMessage: { 'Network error communicating with endpoint': 87 } })),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      '87 execution log lines of orders/prod in API-Gateway-Execution-Logs_a1b2c3/prod carry a documented network or VPC-link error: "Network error communicating with endpoint" (87) (of 1200 5xx in the window)',
    );
    expect(result.evidence).toMatchObject({ count: 87 });
  });

  it('counts "Execution failed due to configuration error" lines, and says when the count is a lower bound', () => {
    const byMessage = {
      'Execution failed due to configuration error': 9,
      'Network error communicating with endpoint': 3,
    };
    const result = onlyResult(
      executionLogNetworkErrors,
      withLines(aLogLineCount({ count: 12, byMessage, truncated: true })),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain(
      'at least 12 execution log lines of orders/prod in API-Gateway-Execution-Logs_a1b2c3/prod carry a documented network or VPC-link error: "Execution failed due to configuration error" (9), "Network error communicating with endpoint" (3)',
    );
  });

  it('never passes when no line says so: no evidence is not proof of another cause', () => {
    const rest = onlyResult(executionLogNetworkErrors, nlbScenario().build());
    expect(rest.status).toBe('SKIPPED');
    expect(rest.message).toContain('no evidence either way');
    const http = onlyResult(executionLogNetworkErrors, albScenario().build());
    expect(http.status).toBe('SKIPPED');
    expect(http.message).toContain('no access log line');
  });

  it('skips an HTTP stage whose access-log format holds no error text, saying what to add', () => {
    const reason =
      'the access log format holds no error text (none of $context.integrationErrorMessage, $context.integration.error, $context.error.message, $context.error.messageString): add $context.integrationErrorMessage to the format so its lines say why an integration failed';
    const lines = collected({ logGroup: 'http-access', notSearched: reason });
    const result = onlyResult(
      executionLogNetworkErrors,
      albScenario({ stage: { networkErrorLogLines: lines } }).build(),
    );
    expect(result).toMatchObject({ status: 'SKIPPED', message: `checkout/$default: ${reason}` });
  });

  describe('an access-log group shared by several stages', () => {
    const SHARED = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/apigw/shared`;
    /** checkout/$default (the scenario's) and payments/$default both log to /apigw/shared in `format`. */
    const shared = (format: string, lines: LogLineCount) => {
      const settings = collected(
        aStageSettings({ accessLog: { destinationArn: SHARED, format }, executionLogging: null }),
      );
      const payments = aLogLineCount({ logGroup: '/apigw/shared', attributedBy: lines.attributedBy });
      return albScenario({ stage: { settings, networkErrorLogLines: collected(lines) } }).withStage(
        aStageInventory({
          stage: { apiId: 'p4y5', apiName: 'payments', apiType: 'HTTP', stage: '$default' },
          settings,
          networkErrorLogLines: collected(payments),
        }),
      );
    };
    const checkoutResult = (builder: ReturnType<typeof shared>) =>
      resultsOf(executionLogNetworkErrors, builder.build()).find((result) =>
        result.resourceArn.includes('/apis/h1t2p3/'),
      );

    it('does not charge the lines another API wrote (the format names the API)', () => {
      // Arrange: every matching line in the group names payments' API id (the collector set them apart)
      const builder = shared(
        '{"apiId":"$context.apiId","stage":"$context.stage","error":"$context.integrationErrorMessage"}',
        aLogLineCount({ logGroup: '/apigw/shared', count: 0, otherStages: 40 }),
      );
      // Act
      const result = checkoutResult(builder);
      // Assert
      expect(result?.status).toBe('SKIPPED');
      expect(result?.message).toContain('40 matching lines of other APIs or stages not counted');
      expect(result?.message).toContain('no evidence either way');
    });

    it('says the lines cannot be attributed when the format names neither API nor stage', () => {
      const builder = shared(
        '$context.requestId $context.integrationErrorMessage',
        aLogLineCount({ logGroup: '/apigw/shared', count: 40, attributedBy: [] }),
      );
      const result = checkoutResult(builder);
      expect(result?.status).toBe('SKIPPED');
      expect(result?.message).toContain(
        'but payments/$default log to the same group and the format holds no $context.apiId or $context.stage: the lines cannot be attributed to checkout/$default',
      );
      expect(result?.evidence).toMatchObject({ count: 40, sharedWith: ['payments/$default'] });
    });

    it('charges the lines when the format names the API, though the group is shared (its twin)', () => {
      const lines = aLogLineCount({
        logGroup: '/apigw/shared',
        count: 40,
        attributedBy: ['apiId'],
        byMessage: { 'Network error communicating with endpoint': 40 },
      });
      const builder = shared('{"apiId":"$context.apiId","error":"$context.integrationErrorMessage"}', lines);
      expect(checkoutResult(builder)?.status).toBe('FAIL');
    });
  });

  it('skips, naming the bound and the lines not charged, when a bounded search found none of the stage’s', () => {
    const result = onlyResult(
      executionLogNetworkErrors,
      withLines(aLogLineCount({ count: 0, truncated: true, unattributed: 4, otherStages: 2 })),
    );
    expect(result.status).toBe('SKIPPED');
    expect(result.message).toBe(
      "no execution log line of orders/prod in API-Gateway-Execution-Logs_a1b2c3/prod carries a documented network or VPC-link error in the part of the window read (the search stopped at its bound); 2 matching lines of other APIs or stages not counted; 4 matching lines that do not follow the stage's format not counted: no evidence either way",
    );
    expect(result.evidence).toMatchObject({ truncated: true, unattributed: 4, otherStages: 2 });
  });

  it('skips a stage without a log group to search', () => {
    expect(onlyResult(executionLogNetworkErrors, withLines(null))).toMatchObject({
      status: 'SKIPPED',
      message: 'orders/prod has no execution log group to search: no evidence either way',
    });
  });

  it('skips a REST stage whose execution logging is off, saying there are no lines to search', () => {
    // Arrange
    const settings = aStageSettings({ executionLogging: { loggingLevel: 'OFF', dataTraceEnabled: false } });
    const inventory = nlbScenario({
      stage: { settings: collected(settings), networkErrorLogLines: collected(null) },
    }).build();

    // Act
    const result = onlyResult(executionLogNetworkErrors, inventory);

    // Assert
    expect(result).toMatchObject({
      status: 'SKIPPED',
      message: 'execution logging is off on orders/prod: no log lines to search',
    });
  });

  it('reports ERROR naming the action when the logs could not be queried', () => {
    const builder = nlbScenario({
      stage: { networkErrorLogLines: failed(accessDenied('logs:FilterLogEvents')) },
    });
    expect(onlyResult(executionLogNetworkErrors, builder.build()).evidence).toEqual({
      action: 'logs:FilterLogEvents',
      code: 'AccessDenied',
    });
  });

  it('skips an access-log group outside the configured prefix, saying it was not searched on purpose', () => {
    const stage = {
      logGroup: '/aws/lambda/payroll',
      notSearched:
        'its access log group /aws/lambda/payroll does not start with the configured prefix /apigw/: not searched',
    };
    const result = onlyResult(
      executionLogNetworkErrors,
      nlbScenario({ stage: { networkErrorLogLines: collected(stage) } }).build(),
    );
    expect(result).toMatchObject({
      status: 'SKIPPED',
      message: `orders/prod: ${stage.notSearched}`,
      evidence: { logGroup: '/aws/lambda/payroll' },
    });
  });
});
