import { executionLogNetworkErrors } from '../../../lambda/checks/execution-log-network-errors';
import { collected, failed } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  aStageSettings,
  nlbScenario,
  onlyResult,
} from '../../support/inventory-builders';

const withLines = (lines: { count: number; logGroup: string } | null) =>
  nlbScenario({ stage: { networkErrorLogLines: collected(lines) } }).build();

describe('execution-log-network-errors', () => {
  it('fails with the count when log lines confirm the network error', () => {
    const result = onlyResult(
      executionLogNetworkErrors,
      withLines({ count: 87, logGroup: 'API-Gateway-Execution-Logs_a1b2c3/prod' }),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      '87 execution log lines of orders/prod in API-Gateway-Execution-Logs_a1b2c3/prod say "network error communicating with endpoint" (of 1200 5xx in the window)',
    );
    expect(result.evidence).toMatchObject({ count: 87 });
  });

  it('never passes when no line says so: no evidence is not proof of another cause', () => {
    const rest = onlyResult(executionLogNetworkErrors, nlbScenario().build());
    expect(rest.status).toBe('SKIPPED');
    expect(rest.message).toContain('no evidence either way');
    const http = onlyResult(executionLogNetworkErrors, albScenario().build());
    expect(http.message).toContain('no access log line');
    expect(http.message).not.toContain('has no error variable');
  });

  it('says when an HTTP access-log format cannot hold the error text', () => {
    const noErrorVariable = albScenario({
      stage: {
        settings: collected(
          aStageSettings({
            accessLog: {
              destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:x',
              format: '$context.requestId $context.status',
            },
          }),
        ),
      },
    }).build();
    expect(onlyResult(executionLogNetworkErrors, noErrorVariable).message).toContain(
      'its access-log format has no error variable',
    );
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
    const builder = nlbScenario({ stage: { networkErrorLogLines: failed(accessDenied('logs:StartQuery')) } });
    expect(onlyResult(executionLogNetworkErrors, builder.build()).evidence).toEqual({
      action: 'logs:StartQuery',
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
