/** Assembles the one report object every output (JSON, text, Markdown, SNS, state) is made from. */
import type { AuditWindow, Finding, Report, ReportStage, Thresholds } from '../domain/types';

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
  return {
    schemaVersion: 1,
    tool: { ...input.tool },
    generatedAt: input.generatedAt,
    complete: input.incompleteReasons.length === 0,
    incompleteReasons: [...input.incompleteReasons],
    account: input.account,
    regions: [...input.regions],
    window: { ...input.window },
    thresholds: { ...input.thresholds },
    apis: [...input.stages].sort(compareStages).map((stage) => inAccount(stage, input.account)),
    findings: input.findings.map((finding) => inAccount(finding, input.account)),
    stats: { ...input.stats, awsCalls: { ...input.stats.awsCalls } },
  };
}
