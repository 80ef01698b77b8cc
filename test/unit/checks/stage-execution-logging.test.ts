import { stageExecutionLogging } from '../../../lambda/checks/stage-execution-logging';
import { collected, failed, type StageSettings } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  anInventory,
  aRestIntegration,
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

  it('passes logging at ERROR without full request/response data: data trace is never required', () => {
    const result = onlyResult(
      stageExecutionLogging,
      withLogging({ loggingLevel: 'ERROR', dataTraceEnabled: false }),
    );
    expect(result).toMatchObject({ status: 'PASS', message: 'execution logging on orders/prod is at ERROR' });
  });

  it('passes a stage logging off stage-wide when every method on the path logs through its method settings', () => {
    const inventory = anInventory()
      .withStage(
        aStageInventory({
          settings: collected(
            aStageSettings({
              executionLogging: { loggingLevel: 'OFF', dataTraceEnabled: false },
              methodLogging: { '~1orders/GET': { loggingLevel: 'INFO' } },
            }),
          ),
          integrations: collected([aRestIntegration({ method: { path: '/orders', httpMethod: 'GET' } })]),
        }),
      )
      .build();
    const result = onlyResult(stageExecutionLogging, inventory);
    expect(result).toMatchObject({ status: 'PASS' });
    expect(result.message).toContain('method settings included');
  });

  it('fails, naming the method, when a method setting turns logging off under a stage-wide INFO', () => {
    const inventory = anInventory()
      .withStage(
        aStageInventory({
          settings: collected(
            aStageSettings({
              executionLogging: { loggingLevel: 'INFO', dataTraceEnabled: false },
              methodLogging: { '~1orders/*': { loggingLevel: 'OFF' } },
            }),
          ),
          integrations: collected([
            aRestIntegration({ method: { path: '/orders', httpMethod: 'GET' } }),
            aRestIntegration({
              id: 'r1/GET',
              label: 'GET /health',
              method: { path: '/health', httpMethod: 'GET' },
            }),
          ]),
        }),
      )
      .build();
    const result = onlyResult(stageExecutionLogging, inventory);
    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'execution logging is off for GET /orders on orders/prod (method settings)',
    });
  });

  it('reports ERROR when method settings exist but the methods could not be read', () => {
    const inventory = anInventory()
      .withStage(
        aStageInventory({
          settings: collected(aStageSettings({ methodLogging: { '~1orders/GET': { loggingLevel: 'OFF' } } })),
          integrations: failed(accessDenied('apigateway:GetResources')),
        }),
      )
      .build();
    expect(onlyResult(stageExecutionLogging, inventory)).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'apigateway:GetResources' },
    });
  });

  it('judges the stage-wide level when the methods could not be read but no method setting overrides it', () => {
    const withoutMethods = (executionLogging: StageSettings['executionLogging']) =>
      anInventory()
        .withStage(
          aStageInventory({
            settings: collected(aStageSettings({ executionLogging })),
            integrations: failed(accessDenied('apigateway:GetResources')),
          }),
        )
        .build();
    const on = onlyResult(
      stageExecutionLogging,
      withoutMethods({ loggingLevel: 'ERROR', dataTraceEnabled: false }),
    );
    expect(on).toMatchObject({ status: 'PASS', message: 'execution logging on orders/prod is at ERROR' });
    expect(onlyResult(stageExecutionLogging, withoutMethods(null))).toMatchObject({
      status: 'FAIL',
      message: 'execution logging is off on orders/prod',
    });
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
