/**
 * "When it failed, and what coincided": per failing stage, one line with the minutes of its 5xx,
 * then one line per finding that says what happened on its path in those minutes (the findings'
 * `evidence.coincidedMinutes`). Names read from AWS go through `terminalText`.
 */
import { describePeriods, errorPeriodIndices } from '../domain/load-balancer-series';
import type { Finding, Report } from '../domain/types';
import { terminalText } from '../notify/display-text';

const coincidedMinutes = (finding: Finding): string[] => {
  const minutes = finding.evidence.coincidedMinutes;
  return Array.isArray(minutes)
    ? minutes.filter((minute): minute is string => typeof minute === 'string')
    : [];
};

/** The resource's own part of its ARN: `targetgroup/orders-tg/1a2b`, `loadbalancer/net/orders/3c4d`. */
const shortResource = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1) || arn;

export function errorMinuteLines(report: Report): string[] {
  const { window } = report;
  const at = (minutes: readonly string[]) =>
    describePeriods(
      window,
      errorPeriodIndices(
        window,
        minutes.map((minute) => ({ at: minute, errors5xx: 1 })),
      ),
    );
  return report.apis.flatMap((stage) => {
    const minutes = stage.errorMinutes ?? [];
    if (minutes.length === 0 || stage.classification === 'healthy' || stage.classification === 'no-traffic')
      return [];
    const label = `${terminalText(stage.apiName, 100)}/${terminalText(stage.stage, 100)}`;
    const coincided = report.findings.filter(
      (finding) =>
        (finding.status === 'FAIL' || finding.status === 'WARN') &&
        coincidedMinutes(finding).length > 0 &&
        finding.apis.some((api) => api.apiId === stage.apiId && api.stage === stage.stage),
    );
    return [
      `  ${label}: 5xx at ${at(minutes.map((minute) => minute.at))} UTC (${minutes.reduce((sum, m) => sum + m.errors5xx, 0)})`,
      ...coincided.map(
        (finding) =>
          `    at ${at(coincidedMinutes(finding))}: ${terminalText(finding.checkId, 40)} on ${terminalText(shortResource(finding.resourceArn), 120)}`,
      ),
    ];
  });
}
