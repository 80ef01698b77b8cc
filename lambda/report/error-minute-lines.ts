/**
 * "When it failed, and what coincided": per failing stage, one line with the minutes of its 5xx,
 * then one line per finding that says what happened on its path in those minutes (the findings'
 * `evidence.eventMinutes`, met with the stage's error minutes). Names read from AWS go through `terminalText`.
 */

import { terminalText } from '../domain/display-text';
import { describePeriods, errorPeriodIndices } from '../domain/load-balancer-series';
import type { Finding, Report } from '../domain/types';

const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * A finding on a shared resource is merged over the stages it serves and keeps one stage's evidence:
 * the minutes the thing happened (`eventMinutes`, whichever stage) are met with this stage's own.
 */
const coincidedWith = (finding: Finding, errorMinutes: ReadonlySet<string>): string[] =>
  stringsOf(finding.evidence.eventMinutes ?? finding.evidence.coincidedMinutes).filter((minute) =>
    errorMinutes.has(minute),
  );

/** What a person calls the resource: `target group orders-tg`, `load balancer orders-nlb`, `the stage`. */
function resourceName(finding: Finding): string {
  if (finding.resourceType.endsWith('::Stage')) return 'the stage';
  const part = finding.resourceArn.slice(finding.resourceArn.lastIndexOf(':') + 1);
  const elb = /^(targetgroup|loadbalancer\/(?:app|net|gwy))\/([^/]+)\//.exec(part);
  if (elb) return `${elb[1] === 'targetgroup' ? 'target group' : 'load balancer'} ${elb[2]}`;
  return part || finding.resourceArn;
}

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
    const own = new Set(minutes.map((minute) => new Date(minute.at).toISOString()));
    const coincided = report.findings.flatMap((finding) => {
      if (finding.status !== 'FAIL' && finding.status !== 'WARN') return [];
      if (!finding.apis.some((api) => api.apiId === stage.apiId && api.stage === stage.stage)) return [];
      const when = coincidedWith(finding, own);
      return when.length > 0 ? [{ finding, when }] : [];
    });
    return [
      `  ${label}: 5xx at ${at(minutes.map((minute) => minute.at))} UTC (${minutes.reduce((sum, m) => sum + m.errors5xx, 0)})`,
      ...coincided.map(
        ({ finding, when }) =>
          `    at ${at(when)}: ${terminalText(finding.checkId, 40)} on ${terminalText(resourceName(finding), 120)}`,
      ),
    ];
  });
}
