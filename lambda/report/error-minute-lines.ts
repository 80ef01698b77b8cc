/**
 * "When it failed, and what coincided": per failing stage, one line with the minutes of its 5xx,
 * then one line per finding that says what happened on its path in those minutes (the findings'
 * `evidence.eventMinutes`, met with the stage's error minutes). Names read from AWS go through `terminalText`.
 * The HTML report draws the same coincidences in each stage's chart (formats/html.ts).
 */

import { terminalText } from '../domain/display-text';
import { describePeriods, errorPeriodIndices } from '../domain/load-balancer-series';
import type { AuditWindow, ErrorMinute, Finding, Report, ReportStage } from '../domain/types';

const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** The minutes the thing happened on the resource (`eventMinutes`, whichever stage), else those that coincided. */
const eventMinutesOf = (finding: Finding): string[] =>
  stringsOf(finding.evidence.eventMinutes ?? finding.evidence.coincidedMinutes);

/** What a person calls the resource: `target group orders-tg`, `load balancer orders-nlb`, `the stage`. */
export function resourceName(finding: Finding): string {
  if (finding.resourceType.endsWith('::Stage')) return 'the stage';
  const part = finding.resourceArn.slice(finding.resourceArn.lastIndexOf(':') + 1);
  const elb = /^(targetgroup|loadbalancer\/(?:app|net|gwy))\/([^/]+)\//.exec(part);
  if (elb) return `${elb[1] === 'targetgroup' ? 'target group' : 'load balancer'} ${elb[2]}`;
  return part || finding.resourceArn;
}

/** A finding whose minutes met a stage's error minutes. */
export interface Coincidence {
  finding: Finding;
  /** Its minutes that are also the stage's error minutes (period starts, ISO). */
  coincided: string[];
  /** Every minute it recorded the thing in the window, coinciding or not. */
  events: string[];
}

/**
 * The FAIL and WARN findings on `stage` whose minutes met its error minutes. A finding on a shared
 * resource is merged over the stages it serves and keeps one stage's evidence: its event minutes are
 * met with this stage's own.
 */
export function coincidencesOf(
  stage: Pick<ReportStage, 'apiId' | 'stage' | 'errorMinutes'>,
  findings: readonly Finding[],
): Coincidence[] {
  const own = new Set((stage.errorMinutes ?? []).map((minute) => new Date(minute.at).toISOString()));
  if (own.size === 0) return [];
  return findings.flatMap((finding) => {
    if (finding.status !== 'FAIL' && finding.status !== 'WARN') return [];
    if (!finding.apis.some((api) => api.apiId === stage.apiId && api.stage === stage.stage)) return [];
    const events = eventMinutesOf(finding);
    const coincided = events.filter((minute) => own.has(minute));
    return coincided.length > 0 ? [{ finding, coincided, events }] : [];
  });
}

/** The window period indices of ISO period starts (those outside the window dropped). */
export const periodIndicesOf = (window: AuditWindow, minutes: readonly string[]): number[] =>
  errorPeriodIndices(
    window,
    minutes.map((at): ErrorMinute => ({ at, errors5xx: 1 })),
  );

export function errorMinuteLines(report: Report): string[] {
  const { window } = report;
  const at = (minutes: readonly string[]) => describePeriods(window, periodIndicesOf(window, minutes));
  return report.apis.flatMap((stage) => {
    const minutes = stage.errorMinutes ?? [];
    if (minutes.length === 0 || stage.classification === 'healthy' || stage.classification === 'no-traffic')
      return [];
    const label = `${terminalText(stage.apiName, 100)}/${terminalText(stage.stage, 100)}`;
    return [
      `  ${label}: 5xx at ${at(minutes.map((minute) => minute.at))} UTC (${minutes.reduce((sum, m) => sum + m.errors5xx, 0)})`,
      ...coincidencesOf(stage, report.findings).map(
        ({ finding, coincided }) =>
          `    at ${at(coincided)}: ${terminalText(finding.checkId, 40)} on ${terminalText(resourceName(finding), 120)}`,
      ),
    ];
  });
}
