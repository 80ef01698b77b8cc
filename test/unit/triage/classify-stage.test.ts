import fc from 'fast-check';
import { CLASSIFICATIONS, type Classification, type StageTraffic } from '../../../lambda/domain/types';
import { classifyStage, DEFAULT_THRESHOLDS } from '../../../lambda/triage/classify-stage';

const traffic = (
  requests: number[],
  errors5xx: number[],
  extra: Partial<StageTraffic> = {},
): StageTraffic => ({
  region: 'us-east-1',
  apiId: 'a1b2c3',
  apiName: 'orders',
  apiType: 'REST',
  stage: 'prod',
  requests,
  errors5xx,
  ...extra,
});

const twelve = (value: number): number[] => Array.from({ length: 12 }, () => value);

describe('classifyStage', () => {
  it('classifies a stage with no requests and no errors as no-traffic', () => {
    // Arrange
    const idle = traffic(twelve(0), twelve(0));
    // Act
    const result = classifyStage(idle, DEFAULT_THRESHOLDS);
    // Assert
    expect(result).toMatchObject({
      classification: 'no-traffic',
      requests: 0,
      errors5xx: 0,
      errorRatio: 0,
      periods: 12,
    });
  });

  it('classifies requests without 5xx as healthy', () => {
    const result = classifyStage(traffic(twelve(1000), twelve(0)), DEFAULT_THRESHOLDS);
    expect(result.classification).toBe('healthy');
    expect(result.requests).toBe(12_000);
  });

  it('classifies a single spike in one period as low-frequency even when it is large in that period', () => {
    // Arrange: 12,000 requests, 300 errors all in one period (2.5% overall)
    const errors = twelve(0);
    errors[5] = 300;
    // Act
    const result = classifyStage(traffic(twelve(1000), errors), DEFAULT_THRESHOLDS);
    // Assert
    expect(result).toMatchObject({ classification: 'low-frequency', periodsWithErrors: 1, errors5xx: 300 });
    expect(result.errorRatio).toBeCloseTo(0.025);
  });

  it('classifies a steady trickle in most periods as high-frequency (continuous) despite a low ratio', () => {
    const result = classifyStage(traffic(twelve(1000), twelve(2)), DEFAULT_THRESHOLDS);
    expect(result).toMatchObject({ classification: 'high-frequency', periodsWithErrors: 12 });
    expect(result.errorRatio).toBeCloseTo(0.002);
  });

  it('classifies a continuous ratio at the transient line in exactly half the periods as high-frequency', () => {
    // 12 errors in 12,000 requests: 0.1%, not below transientErrorRatio
    const errors = [2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0];
    expect(classifyStage(traffic(twelve(1000), errors), DEFAULT_THRESHOLDS).classification).toBe(
      'high-frequency',
    );
  });

  describe('the ratio decides first (the article: requests far outnumber errors => transient)', () => {
    // 1,000,008 requests over 12 periods; errors in half of them.
    const busy = [83_334, ...Array.from({ length: 11 }, () => 83_334)];
    const halfThePeriods = (each: number) => [each, 0, each, 0, each, 0, each, 0, each, 0, each, 0];

    it('classifies 12 errors in 1,000,008 requests over half the periods as low-frequency', () => {
      // Arrange
      const trickle = traffic(busy, halfThePeriods(2));
      // Act
      const result = classifyStage(trickle, DEFAULT_THRESHOLDS);
      // Assert
      expect(result).toMatchObject({ requests: 1_000_008, errors5xx: 12, periodsWithErrors: 6 });
      expect(result.classification).toBe('low-frequency');
    });

    it('twin: the same spread at 0.2% of the requests is continuous, hence high-frequency', () => {
      const result = classifyStage(traffic(busy, halfThePeriods(334)), DEFAULT_THRESHOLDS);
      expect(result.errorRatio).toBeCloseTo(0.002);
      expect(result.classification).toBe('high-frequency');
    });

    it('uses the transient ratio it is given', () => {
      const trickle = traffic(busy, halfThePeriods(334));
      const lenient = { ...DEFAULT_THRESHOLDS, transientErrorRatio: 0.005 };
      expect(classifyStage(trickle, lenient).classification).toBe('low-frequency');
    });

    it('lets continuity decide below minRequests, where a ratio means little', () => {
      const small = traffic(twelve(5), [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
      const smallBurst = traffic(twelve(5), [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(classifyStage(small, DEFAULT_THRESHOLDS).classification).toBe('high-frequency');
      expect(classifyStage(smallBurst, DEFAULT_THRESHOLDS).classification).toBe('low-frequency');
    });
  });

  it('classifies errors in a minority of periods at a low ratio as low-frequency', () => {
    const errors = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];
    expect(classifyStage(traffic(twelve(1000), errors), DEFAULT_THRESHOLDS).classification).toBe(
      'low-frequency',
    );
  });

  it('classifies a high ratio with enough requests as high-frequency even in one period', () => {
    // Arrange: 200 requests in one period, 50 errors (25%)
    const requests = twelve(0);
    requests[0] = 200;
    const errors = twelve(0);
    errors[0] = 50;
    // Act / Assert
    expect(classifyStage(traffic(requests, errors), DEFAULT_THRESHOLDS).classification).toBe(
      'high-frequency',
    );
  });

  it('keeps tiny traffic (3 requests, 1 error) low-frequency: the ratio means little below minRequests', () => {
    const requests = twelve(0);
    requests[3] = 3;
    const errors = twelve(0);
    errors[3] = 1;
    const result = classifyStage(traffic(requests, errors), DEFAULT_THRESHOLDS);
    expect(result).toMatchObject({ classification: 'low-frequency', requests: 3, errors5xx: 1 });
    expect(result.errorRatio).toBeCloseTo(1 / 3);
  });

  it('needs two periods with errors to call errors continuous, even in a one-period window', () => {
    expect(classifyStage(traffic([10], [1]), DEFAULT_THRESHOLDS).classification).toBe('low-frequency');
  });

  it('treats 5xx without a request count as failing rather than idle', () => {
    expect(classifyStage(traffic([], [0, 3, 2]), DEFAULT_THRESHOLDS).classification).toBe('high-frequency');
  });

  it('ignores negative and non-finite counts and caps the ratio at 1', () => {
    const result = classifyStage(
      traffic([-5, Number.NaN, 2], [Number.POSITIVE_INFINITY, 0, 5]),
      DEFAULT_THRESHOLDS,
    );
    expect(result).toMatchObject({ requests: 2, errors5xx: 5, errorRatio: 1, periodsWithErrors: 1 });
  });

  it('carries the REST name collision through to the classified stage', () => {
    const shared = classifyStage(traffic([1], [0], { sharesMetricsWith: ['z9y8x7'] }), DEFAULT_THRESHOLDS);
    const alone = classifyStage(traffic([1], [0], { sharesMetricsWith: [] }), DEFAULT_THRESHOLDS);
    expect(shared.sharesMetricsWith).toEqual(['z9y8x7']);
    expect(alone).not.toHaveProperty('sharesMetricsWith');
  });

  it('falls back to the default transient ratio when the thresholds give none', () => {
    // 0.05% of 120,000 requests in half the periods: transient by the default 0.1% line, continuous otherwise.
    const trickle = traffic(twelve(10_000), [10, 0, 10, 0, 10, 0, 10, 0, 10, 0, 10, 0]);
    const { transientErrorRatio: _, ...withoutTransient } = DEFAULT_THRESHOLDS;
    expect(classifyStage(trickle, withoutTransient).classification).toBe('low-frequency');
    expect(classifyStage(trickle, { ...withoutTransient, transientErrorRatio: 0 }).classification).toBe(
      'high-frequency',
    );
  });

  it('dates the error minutes only of a stage with 5xx, and only given the window', () => {
    const window = { start: '2026-12-05T10:00:00.000Z', end: '2026-12-05T10:15:00.000Z', periodSeconds: 300 };
    expect(
      classifyStage(traffic([100, 100, 100], [0, 4, 0]), DEFAULT_THRESHOLDS, window).errorMinutes,
    ).toEqual([{ at: '2026-12-05T10:05:00.000Z', errors5xx: 4 }]);
    expect(classifyStage(traffic([100, 100, 100], [0, 0, 0]), DEFAULT_THRESHOLDS, window)).not.toHaveProperty(
      'errorMinutes',
    );
    expect(classifyStage(traffic([100, 100, 100], [0, 4, 0]), DEFAULT_THRESHOLDS)).not.toHaveProperty(
      'errorMinutes',
    );
  });

  it('uses the thresholds it is given', () => {
    const strict = { highErrorRatio: 0.01, continuousPeriodShare: 0.9, minRequests: 10 };
    const errors = twelve(0);
    errors[0] = 200;
    expect(classifyStage(traffic(twelve(1000), errors), strict).classification).toBe('high-frequency');
  });

  describe('properties', () => {
    const rank = (classification: Classification): number => CLASSIFICATIONS.indexOf(classification);
    const count = fc.oneof(fc.nat(5000), fc.constantFrom(0, 1, 2));
    const series = fc
      .integer({ min: 1, max: 24 })
      .chain((length) =>
        fc.tuple(
          fc.array(count, { minLength: length, maxLength: length }),
          fc.array(count, { minLength: length, maxLength: length }),
        ),
      );
    const thresholds = fc.record({
      highErrorRatio: fc.double({ min: 0.001, max: 1, noNaN: true }),
      continuousPeriodShare: fc.double({ min: 0.01, max: 1, noNaN: true }),
      minRequests: fc.nat(1000),
      transientErrorRatio: fc.double({ min: 0, max: 0.01, noNaN: true }),
    });

    it('classifies every input into one of the four classes with consistent totals', () => {
      fc.assert(
        fc.property(series, thresholds, ([requests, errors], limits) => {
          const result = classifyStage(traffic(requests, errors), limits);
          expect(CLASSIFICATIONS).toContain(result.classification);
          expect(result.errorRatio).toBeGreaterThanOrEqual(0);
          expect(result.errorRatio).toBeLessThanOrEqual(1);
          expect(result.periodsWithErrors).toBeLessThanOrEqual(result.periods);
        }),
      );
    });

    it('never lowers the class when errors are added to any period', () => {
      fc.assert(
        fc.property(
          series,
          thresholds,
          fc.nat(23),
          fc.integer({ min: 1, max: 500 }),
          ([requests, errors], limits, at, more) => {
            // Arrange
            const index = at % errors.length;
            const worse = errors.map((value, i) => (i === index ? value + more : value));
            // Act
            const before = classifyStage(traffic(requests, errors), limits).classification;
            const after = classifyStage(traffic(requests, worse), limits).classification;
            // Assert
            expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
          },
        ),
      );
    });
  });
});
