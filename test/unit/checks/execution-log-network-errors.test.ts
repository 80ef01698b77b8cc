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

  it('passes when no line says so: the 5xx have another cause', () => {
    expect(onlyResult(executionLogNetworkErrors, nlbScenario().build()).status).toBe('PASS');
    expect(onlyResult(executionLogNetworkErrors, albScenario().build()).message).toContain(
      'no access log line',
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
