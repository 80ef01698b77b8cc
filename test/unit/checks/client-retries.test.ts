import { clientRetries } from '../../../lambda/checks/client-retries';
import { anInventory, aStageInventory, onlyResult } from '../../support/inventory-builders';

const withStage = (stage: Parameters<typeof aStageInventory>[0]) =>
  anInventory().withStage(aStageInventory(stage)).build();

describe('client-retries', () => {
  it('advises retries (WARN) for a low-frequency stage, with its traffic as evidence', () => {
    // Arrange
    const inventory = withStage({
      stage: {
        classification: 'low-frequency',
        requests: 12_000,
        errors5xx: 12,
        errorRatio: 0.001,
        periodsWithErrors: 2,
      },
    });
    // Act
    const result = onlyResult(clientRetries, inventory);
    // Assert
    expect(result).toMatchObject({
      status: 'WARN',
      resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod',
      resourceType: 'AWS::ApiGateway::Stage',
      apis: [{ region: 'us-east-1', apiId: 'a1b2c3', stage: 'prod' }],
    });
    expect(result.message).toContain('12 5xx in 12000 requests (0.10%), in 2 of 12 periods');
    expect(result.evidence).toMatchObject({ errors5xx: 12, requests: 12_000 });
  });

  it('passes a healthy stage: no 5xx, nothing to retry', () => {
    const result = onlyResult(
      clientRetries,
      withStage({ stage: { classification: 'healthy', errors5xx: 0 } }),
    );
    expect(result.status).toBe('PASS');
  });

  it('skips a stage without traffic', () => {
    const result = onlyResult(clientRetries, withStage({ stage: { classification: 'no-traffic' } }));
    expect(result).toMatchObject({ status: 'SKIPPED', message: 'orders/prod had no requests in the window' });
  });

  it('skips a high-frequency stage: retries would hide a persistent fault', () => {
    const result = onlyResult(clientRetries, withStage({ stage: { classification: 'high-frequency' } }));
    expect(result.status).toBe('SKIPPED');
    expect(result.message).toContain('not transient');
  });

  it('points an HTTP API stage at its apis ARN', () => {
    const result = onlyResult(
      clientRetries,
      withStage({
        stage: { classification: 'low-frequency', apiType: 'HTTP', apiId: 'h1', stage: '$default' },
      }),
    );
    expect(result).toMatchObject({
      resourceArn: 'arn:aws:apigateway:us-east-1::/apis/h1/stages/$default',
      resourceType: 'AWS::ApiGatewayV2::Stage',
    });
  });
});
