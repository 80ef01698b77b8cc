/** Assembles the one report object every output (JSON, text, Markdown, SNS, state) is made from. */
import type { AuditWindow, ClassifiedStage, Finding, Report, Thresholds } from '../domain/types';

export interface ReportInput {
  tool: { name: string; version: string };
  generatedAt: string;
  account: string | null;
  regions: string[];
  window: AuditWindow;
  thresholds: Thresholds;
  stages: ClassifiedStage[];
  findings: Finding[];
  stats: Report['stats'];
  /** Why the audit is incomplete; empty when it is complete. */
  incompleteReasons: string[];
}

const compareStages = (a: ClassifiedStage, b: ClassifiedStage): number =>
  a.region.localeCompare(b.region) ||
  a.apiName.localeCompare(b.apiName) ||
  a.apiId.localeCompare(b.apiId) ||
  a.stage.localeCompare(b.stage);

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
    apis: [...input.stages].sort(compareStages),
    findings: [...input.findings],
    stats: { ...input.stats, awsCalls: { ...input.stats.awsCalls } },
  };
}
