import { errorMinuteLines } from '../../../lambda/report/error-minute-lines';
import { renderText } from '../../../lambda/report/render-text';
import { aFinding, aReport, aStage } from '../../support/report-builders';

const BURST = [
  { at: '2026-11-29T11:25:00.000Z', errors5xx: 400 },
  { at: '2026-11-29T11:30:00.000Z', errors5xx: 300 },
];

describe('when it failed, and what coincided', () => {
  it("puts a failing stage's error minutes beside the minutes of what coincided, one line each", () => {
    const report = aReport({
      apis: [{ ...aStage({ classification: 'high-frequency', errorMinutes: BURST }), region: 'us-east-1' }],
      findings: [
        aFinding({ checkId: 'tg-healthy-dip', evidence: { coincidedMinutes: [BURST[0]?.at, BURST[1]?.at] } }),
        // A finding that says nothing of the minutes is not listed here.
        aFinding({
          checkId: 'tg-unhealthy-az',
          resourceArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/b/1',
        }),
      ],
    });
    const lines = errorMinuteLines(report);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/\/prod: 5xx at 11:25-11:30 UTC \(700\)$/);
    expect(lines[1]).toBe('    at 11:25-11:30: tg-healthy-dip on target group orders-tg');
    expect(renderText(report, { wide: false, color: false })).toContain('When it failed, and what coincided');
  });

  it("meets a shared resource's event minutes with each stage's own error minutes", () => {
    const other = {
      ...aStage({
        apiId: 'z9',
        classification: 'high-frequency',
        errorMinutes: [{ at: '2026-11-29T11:45:00.000Z', errors5xx: 9 }],
      }),
      region: 'us-east-1',
    };
    const report = aReport({
      apis: [
        { ...aStage({ classification: 'high-frequency', errorMinutes: BURST }), region: 'us-east-1' },
        other,
      ],
      findings: [
        aFinding({
          checkId: 'target-resets-coincide',
          apis: [
            { apiId: 'a1b2c3', stage: 'prod' },
            { apiId: 'z9', stage: 'prod' },
          ],
          // Merged: the kept evidence is the first stage's, the resets happened at 11:30 and 11:45.
          evidence: {
            coincidedMinutes: [BURST[1]?.at],
            eventMinutes: [BURST[1]?.at, '2026-11-29T11:45:00.000Z'],
          },
        }),
      ],
    });
    const lines = errorMinuteLines(report);
    expect(
      lines.filter((line) => line.includes('target-resets-coincide')).map((line) => line.slice(0, 15)),
    ).toEqual(['    at 11:30: t', '    at 11:45: t']);
  });

  it('says nothing for stages without error minutes (healthy twin)', () => {
    const report = aReport({ apis: [{ ...aStage({ classification: 'healthy' }), region: 'us-east-1' }] });
    expect(errorMinuteLines(report)).toEqual([]);
    expect(renderText(report, { wide: true, color: false })).not.toContain('When it failed');
  });
});
