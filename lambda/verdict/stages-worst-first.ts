/**
 * The stages in the order every human rendering shows them: worst first, by their verdict (a cause,
 * then "could not read", then no network cause, then transient), then by their first cause's
 * severity, then by how often they fail. Reads the verdicts in the report; never recomputes them.
 */
import {
  type Classification,
  type Finding,
  type Report,
  type ReportStage,
  SEVERITIES,
  type StageVerdict,
  VERDICT_KINDS,
} from '../domain/types';

export interface RankedStage {
  stage: ReportStage;
  verdict: StageVerdict;
  /** The findings of `verdict.causes`, in its order. */
  causes: Finding[];
}

const CLASSIFICATION_RANK: Record<Classification, number> = {
  'high-frequency': 0,
  'low-frequency': 1,
  healthy: 2,
  'no-traffic': 3,
};

/** A stage without a verdict (a report written before verdicts): nothing to say about its cause. */
const NO_VERDICT: StageVerdict = {
  kind: 'no-network-cause',
  causes: [],
  summary: 'no verdict in this report',
};

export function rankStages(report: Pick<Report, 'apis' | 'findings'>): RankedStage[] {
  const byId = new Map(report.findings.map((finding) => [finding.id, finding]));
  const ranked = report.apis.map((stage) => {
    const verdict = stage.verdict ?? NO_VERDICT;
    const causes = verdict.causes.flatMap((id) => byId.get(id) ?? []);
    return { stage, verdict, causes };
  });
  const severity = (entry: RankedStage) =>
    entry.causes[0] ? SEVERITIES.indexOf(entry.causes[0].severity) : SEVERITIES.length;
  return ranked.sort(
    (a, b) =>
      VERDICT_KINDS.indexOf(a.verdict.kind) - VERDICT_KINDS.indexOf(b.verdict.kind) ||
      severity(a) - severity(b) ||
      CLASSIFICATION_RANK[a.stage.classification] - CLASSIFICATION_RANK[b.stage.classification] ||
      b.stage.errorRatio - a.stage.errorRatio,
  );
}

/** Stages that need a person: failing ones, and any whose verdict names a cause or could not be read. */
export const needsAttention = ({ stage, verdict }: RankedStage): boolean =>
  verdict.kind === 'cause' ||
  verdict.kind === 'unreadable' ||
  stage.classification === 'low-frequency' ||
  stage.classification === 'high-frequency';
