import { integrationTimeout } from '../../../lambda/checks/integration-timeout';
import { collected, failed } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  anHttpIntegration,
  aRestIntegration,
  nlbScenario,
  onlyResult,
  resultsOf,
} from '../../support/inventory-builders';

const rest = (timeoutMs: number, latency: number | null) =>
  nlbScenario({
    stage: {
      integrations: collected([aRestIntegration({ timeoutMs })]),
      integrationLatencyMaxMs: collected(latency),
    },
  }).build();

describe('integration-timeout', () => {
  it('passes a 29 s REST timeout with latency well below it', () => {
    const result = onlyResult(integrationTimeout, rest(29_000, 1_200));
    expect(result).toMatchObject({ status: 'PASS', resourceType: 'AWS::ApiGateway::Method' });
    expect(result.message).toContain('its maximum IntegrationLatency 1200 ms');
  });

  it('only warns when several integrations share the stage-wide figure and none has its own', () => {
    // Arrange: two methods; the stage's maximum is high, but detailed metrics are off.
    const slow = aRestIntegration({ timeoutMs: 10_000 });
    const other = aRestIntegration({ id: 'r1/GET', label: 'GET /health', timeoutMs: 10_000 });
    const inventory = nlbScenario({
      stage: { integrations: collected([slow, other]), integrationLatencyMaxMs: collected(9_500) },
    }).build();
    // Act
    const results = resultsOf(integrationTimeout, inventory);
    // Assert
    expect(results.map((result) => result.status)).toEqual(['WARN', 'WARN']);
    expect(results[0]?.message).toContain('only the stage-wide figure exists');
  });

  it('fails only the integration whose own latency (detailed metrics) nears its timeout', () => {
    // Arrange
    const slow = aRestIntegration({ timeoutMs: 10_000 });
    const fast = aRestIntegration({ id: 'r1/GET', label: 'GET /health', timeoutMs: 10_000 });
    const inventory = nlbScenario({
      stage: {
        integrations: collected([slow, fast]),
        integrationLatencyMaxMs: collected(9_500),
        integrationLatencyMaxMsByIntegration: { [slow.id]: collected(9_500), [fast.id]: collected(40) },
      },
    }).build();
    // Act
    const results = resultsOf(integrationTimeout, inventory);
    // Assert
    expect(results.map((result) => `${result.status} ${result.message.slice(0, 40)}`)).toEqual([
      'FAIL the maximum IntegrationLatency in the wi',
      'PASS integration GET /health of orders/prod h',
    ]);
  });

  it('passes without latency data, saying so', () => {
    expect(onlyResult(integrationTimeout, rest(10_000, null)).message).toContain(
      'no IntegrationLatency data',
    );
  });

  it('fails when the observed latency reaches 90% of the timeout', () => {
    // Act
    const result = onlyResult(integrationTimeout, rest(10_000, 9_500));
    // Assert
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain(
      '9500 ms, is 95% of the 10000 ms timeout of integration GET /orders of orders/prod',
    );
  });

  it('warns (low) about a REST timeout above 29 s: valid only where the quota was raised', () => {
    const result = onlyResult(integrationTimeout, rest(60_000, 1_000));
    expect(result).toMatchObject({ status: 'WARN', severity: 'low' });
  });

  it('fails an HTTP API timeout above the fixed 30 s maximum', () => {
    const inventory = albScenario({
      stage: { integrations: collected([anHttpIntegration({ timeoutMs: 31_000 })]) },
    }).build();
    const result = onlyResult(integrationTimeout, inventory);
    expect(result).toMatchObject({ status: 'FAIL', resourceType: 'AWS::ApiGatewayV2::Integration' });
    expect(result.message).toContain('above the fixed 30000 ms maximum');
  });

  it('skips a MOCK integration', () => {
    const inventory = nlbScenario({
      stage: { integrations: collected([aRestIntegration({ type: 'MOCK' })]) },
    }).build();
    expect(onlyResult(integrationTimeout, inventory).status).toBe('SKIPPED');
  });

  it('reports ERROR naming the action when the latency metric or the integrations could not be read', () => {
    const noLatency = nlbScenario({
      stage: { integrationLatencyMaxMs: failed(accessDenied('cloudwatch:GetMetricData')) },
    });
    expect(onlyResult(integrationTimeout, noLatency.build())).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'cloudwatch:GetMetricData' },
    });
    const noIntegrations = nlbScenario({ stage: { integrations: failed(accessDenied('apigateway:GET')) } });
    expect(onlyResult(integrationTimeout, noIntegrations.build())).toMatchObject({
      status: 'ERROR',
      resourceType: 'AWS::ApiGateway::Stage',
    });
  });
});
