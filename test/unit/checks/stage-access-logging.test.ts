import { formatUses, stageAccessLogging } from '../../../lambda/checks/stage-access-logging';
import { collected, failed } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  anInventory,
  aStageInventory,
  aStageSettings,
  nlbScenario,
  onlyResult,
} from '../../support/inventory-builders';

const withAccessLog = (format: string | null) =>
  anInventory()
    .withStage(
      aStageInventory({
        settings: collected(
          aStageSettings({
            accessLog: format === null ? null : { destinationArn: 'arn:aws:logs:x', format },
          }),
        ),
      }),
    )
    .build();

describe('stage-access-logging', () => {
  it('passes a REST stage whose format has the integration error, latency and status', () => {
    expect(onlyResult(stageAccessLogging, nlbScenario().build()).status).toBe('PASS');
  });

  it('passes an HTTP API stage that uses the HTTP variable names', () => {
    expect(onlyResult(stageAccessLogging, albScenario().build()).status).toBe('PASS');
  });

  it('fails a stage with access logging off', () => {
    // Act
    const result = onlyResult(stageAccessLogging, withAccessLog(null));
    // Assert
    expect(result).toMatchObject({ status: 'FAIL', message: 'access logging is off on orders/prod' });
  });

  it('fails a format without the integration variables and names the missing ones', () => {
    const result = onlyResult(
      stageAccessLogging,
      withAccessLog('$context.requestId $context.integrationLatency'),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('integration error ($context.integration.error)');
    expect(result.message).toContain('integration status');
    expect(result.message).not.toContain('integration latency');
    expect(result.evidence?.missing).toEqual(['$context.integration.error', '$context.integrationStatus']);
  });

  it('does not mistake a longer variable name for a required one', () => {
    expect(formatUses('$context.integration.errorX', '$context.integration.error')).toBe(false);
    expect(formatUses('"e":"$context.integration.error"', '$context.integration.error')).toBe(true);
  });

  it('reports ERROR naming the action when the stage settings could not be read', () => {
    // Arrange
    const inventory = anInventory()
      .withStage(aStageInventory({ settings: failed(accessDenied('apigateway:GET')) }))
      .build();
    // Act
    const result = onlyResult(stageAccessLogging, inventory);
    // Assert
    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('apigateway:GET failed (AccessDenied');
    expect(result.evidence).toEqual({ action: 'apigateway:GET', code: 'AccessDenied' });
  });
});
