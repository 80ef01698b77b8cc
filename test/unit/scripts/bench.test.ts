import { floorAtDocumentedRates, isBudgetedAccount, parseBenchArgs } from '../../../scripts/bench';
import { periodStarts, stageTrafficDatums } from '../../../scripts/seed/bulk-account';

describe('the benchmark floor at AWS documented rates', () => {
  it('is bound by GetResources when REST resource listings dominate', () => {
    // Arrange: 605 GetResources (5 within the burst) and 600 other API Gateway calls
    const calls = {
      'APIGateway.GetResources': 605,
      'APIGateway.GetStage': 600,
      'CloudWatch.GetMetricData': 5,
    };

    // Act
    const floor = floorAtDocumentedRates(calls);

    // Assert: 600 / 2.5 = 240 s beats (1205 - 40) / 10 = 116.5 s
    expect(floor).toEqual({ seconds: 240, bindingQuota: 'APIGateway:GetResources' });
  });

  it('adds REST and HTTP API calls together against the shared control-plane quota', () => {
    // Arrange
    const calls = { 'APIGateway.GetStage': 620, 'ApiGatewayV2.GetIntegrations': 620 };

    // Act
    const floor = floorAtDocumentedRates(calls);

    // Assert
    expect(floor).toEqual({ seconds: 120, bindingQuota: 'APIGateway+ApiGatewayV2' });
  });

  it('is zero when every bucket covers its calls with its burst', () => {
    // Arrange / Act
    const floor = floorAtDocumentedRates({
      'APIGateway.GetRestApis': 2,
      'ApiGatewayV2.GetApis': 2,
      'STS.GetCallerIdentity': 1,
    });

    // Assert
    expect(floor).toEqual({ seconds: 0, bindingQuota: null });
  });
});

describe('the benchmark arguments', () => {
  it('defaults to an account at the default quotas', () => {
    // Arrange / Act / Assert
    expect(parseBenchArgs([])).toEqual({ rest: 600, http: 600, failing: 12, lbs: 4, latency: 0 });
  });

  it('reads sizes and latency', () => {
    // Arrange / Act
    const options = parseBenchArgs(['--rest', '10', '--http', '5', '--latency', '50']);

    // Assert
    expect(options).toMatchObject({ rest: 10, http: 5, latency: 50 });
  });

  it('rejects an unknown flag or a value that is not a whole number', () => {
    // Arrange / Act / Assert
    expect(() => parseBenchArgs(['--apis', '3'])).toThrow('unknown option --apis');
    expect(() => parseBenchArgs(['--rest', '-1'])).toThrow('whole number');
  });
});

describe('the bulk seeder traffic', () => {
  const window = { start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T01:00:00.000Z', periodSeconds: 300 };

  it('writes the stage-level series API Gateway publishes, one datum per metric and period', () => {
    // Arrange
    const stage = { apiType: 'HTTP' as const, apiId: 'abc123', apiName: 'orders', stage: 'prod' };

    // Act
    const datums = stageTrafficDatums(stage, window, () => ({ requests: 100, errors5xx: 7 }));

    // Assert
    expect(periodStarts(window)).toHaveLength(12);
    expect(datums).toHaveLength(24);
    expect(datums[1]).toMatchObject({
      MetricName: '5xx',
      Value: 7,
      Dimensions: [
        { Name: 'ApiId', Value: 'abc123' },
        { Name: 'Stage', Value: 'prod' },
      ],
    });
  });

  it('keys REST series by API name and writes only the periods asked for', () => {
    // Arrange
    const stage = { apiType: 'REST' as const, apiId: 'r1', apiName: 'billing', stage: 'prod' };

    // Act
    const datums = stageTrafficDatums(stage, window, () => ({ requests: 5, errors5xx: 0 }), [0]);

    // Assert
    expect(datums.map((datum) => datum.MetricName)).toEqual(['Count', '5XXError']);
    expect(datums[0]?.Dimensions?.[0]).toEqual({ Name: 'ApiName', Value: 'billing' });
    expect(datums[0]?.Timestamp?.toISOString()).toBe('2026-01-01T00:00:01.000Z');
  });

  it('holds the call-ratio budget only to the account it was set for, whatever the latency', () => {
    expect(isBudgetedAccount(parseBenchArgs(['--latency', '50']))).toBe(true);
    expect(isBudgetedAccount(parseBenchArgs(['--rest', '20', '--http', '20']))).toBe(false);
  });
});
