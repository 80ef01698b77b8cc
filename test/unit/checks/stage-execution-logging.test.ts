import { stageExecutionLogging } from '../../../lambda/checks/stage-execution-logging';
import { collected, failed, type StageSettings } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  anInventory,
  aStageInventory,
  aStageSettings,
  nlbScenario,
  onlyResult,
} from '../../support/inventory-builders';

const withLogging = (executionLogging: StageSettings['executionLogging']) =>
  anInventory()
    .withStage(aStageInventory({ settings: collected(aStageSettings({ executionLogging })) }))
    .build();

describe('stage-execution-logging', () => {
  it('passes a REST stage logging at INFO with full request/response data', () => {
    expect(onlyResult(stageExecutionLogging, nlbScenario().build()).status).toBe('PASS');
  });

  it('fails a REST stage with execution logging off', () => {
    const result = onlyResult(
      stageExecutionLogging,
      withLogging({ loggingLevel: 'OFF', dataTraceEnabled: false }),
    );
    expect(result).toMatchObject({ status: 'FAIL', message: 'execution logging is off on orders/prod' });
  });

  it('fails a REST stage whose method settings carry no logging at all', () => {
    expect(onlyResult(stageExecutionLogging, withLogging(null)).status).toBe('FAIL');
  });

  it('warns when logging is on without full request/response data', () => {
    const result = onlyResult(
      stageExecutionLogging,
      withLogging({ loggingLevel: 'ERROR', dataTraceEnabled: false }),
    );
    expect(result.status).toBe('WARN');
    expect(result.message).toContain('at ERROR without full request/response data');
  });

  it('skips an HTTP API stage: HTTP APIs have no execution logs', () => {
    const result = onlyResult(stageExecutionLogging, albScenario().build());
    expect(result.status).toBe('SKIPPED');
    expect(result.message).toContain('HTTP APIs have no execution logs');
  });

  it('reports ERROR naming the action when the stage could not be read', () => {
    const inventory = anInventory()
      .withStage(aStageInventory({ settings: failed(accessDenied('apigateway:GET')) }))
      .build();
    const result = onlyResult(stageExecutionLogging, inventory);
    expect(result).toMatchObject({ status: 'ERROR', evidence: { action: 'apigateway:GET' } });
  });
});
