/** Assembles the one report object every output (JSON, text, Markdown, SNS, state) is made from. */
import type { AuditWindow, Finding, Report, ReportStage, Thresholds } from '../domain/types';
import { DEFAULT_THRESHOLDS } from '../triage/classify-stage';
import { CHECK_CATALOGUE } from '../verdict/check-catalogue';
import { withVerdicts } from '../verdict/stage-verdict';

export interface ReportInput {
  tool: { name: string; version: string };
  generatedAt: string;
  account: string | null;
  regions: string[];
  window: AuditWindow;
  thresholds: Thresholds;
  stages: ReportStage[];
  findings: Finding[];
  stats: Report['stats'];
  /** Why the audit is incomplete; empty when it is complete. */
  incompleteReasons: string[];
}

const compareStages = (a: ReportStage, b: ReportStage): number =>
  (a.account ?? '').localeCompare(b.account ?? '') ||
  a.region.localeCompare(b.region) ||
  a.apiName.localeCompare(b.apiName) ||
  a.apiId.localeCompare(b.apiId) ||
  a.stage.localeCompare(b.stage);

/**
 * Every stage and finding names its account, as in a merged report (merge-reports.ts): a consumer
 * (jq, a renderer, a SIEM) reads `.findings[].account` the same way whether one account was audited
 * or fifty. Left out where the account could not be read, rather than written as null.
 */
function inAccount<T extends object>(item: T & { account?: string }, account: string | null): T {
  return account === null || item.account !== undefined ? item : { ...item, account };
}

export function buildReport(input: ReportInput): Report {
  const stages = [...input.stages].sort(compareStages).map((stage) => inAccount(stage, input.account));
  return {
    schemaVersion: 1,
    tool: { ...input.tool },
    generatedAt: input.generatedAt,
    complete: input.incompleteReasons.length === 0,
    incompleteReasons: [...input.incompleteReasons],
    account: input.account,
    regions: [...input.regions],
    window: { ...input.window },
    // The values the triage used, the defaults of knobs not set included.
    thresholds: { transientErrorRatio: DEFAULT_THRESHOLDS.transientErrorRatio, ...input.thresholds },
    apis: withVerdicts(stages, input.findings, input.account, CHECK_CATALOGUE),
    findings: input.findings.map((finding) => inAccount(finding, input.account)),
    stats: { ...input.stats, awsCalls: { ...input.stats.awsCalls } },
  };
}
