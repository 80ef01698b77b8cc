import type { ReportStage, StageVerdict } from '../../../lambda/domain/types';
import { needsAttention, rankStages } from '../../../lambda/verdict/stages-worst-first';
import { aFinding, aStage } from '../../support/report-builders';

const verdict = (kind: StageVerdict['kind'], causes: string[] = []): StageVerdict => ({
  kind,
  causes,
  summary: kind,
});
const stage = (stageName: string, overrides: Partial<ReportStage> = {}): ReportStage =>
  aStage({ stage: stageName, ...overrides });
const order = (apis: ReportStage[], findings = [aFinding()]) =>
  rankStages({ apis, findings }).map((ranked) => ranked.stage.stage);

describe('rankStages', () => {
  const critical = aFinding({ severity: 'critical', checkId: 'integration-timeout' });
  const high = aFinding();

  it('puts a cause before could-not-read, and a critical first cause before a high one', () => {
    const apis = [
      stage('unreadable', { verdict: verdict('unreadable') }),
      stage('high', { verdict: verdict('cause', [high.id]) }),
      stage('critical', { verdict: verdict('cause', [critical.id]) }),
    ];
    expect(order(apis, [high, critical])).toEqual(['critical', 'high', 'unreadable']);
  });

  it('then the failing class first, then the higher error ratio', () => {
    const apis = [
      stage('low', { classification: 'low-frequency', verdict: verdict('no-network-cause') }),
      stage('high-1%', { errorRatio: 0.01, verdict: verdict('no-network-cause') }),
      stage('high-5%', { errorRatio: 0.05, verdict: verdict('no-network-cause') }),
    ];
    expect(order(apis)).toEqual(['high-5%', 'high-1%', 'low']);
  });

  it('reads a stage of a report written before verdicts as no network cause, and skips causes it cannot find', () => {
    const [legacy] = rankStages({ apis: [stage('legacy')], findings: [] });
    expect(legacy?.verdict).toEqual({
      kind: 'no-network-cause',
      causes: [],
      summary: 'no verdict in this report',
    });
    const [dangling] = rankStages({
      apis: [stage('prod', { verdict: verdict('cause', ['gone']) })],
      findings: [],
    });
    expect(dangling?.causes).toEqual([]);
  });
});

describe('needsAttention', () => {
  it('holds failing stages and any cause or unreadable verdict, not a quiet stage with nothing to say', () => {
    const quiet = stage('quiet', {
      classification: 'healthy',
      errors5xx: 0,
      errorRatio: 0,
      verdict: verdict('healthy'),
    });
    expect(rankStages({ apis: [quiet], findings: [] }).map(needsAttention)).toEqual([false]);
    const unreadableQuiet = { ...quiet, verdict: verdict('unreadable') };
    expect(rankStages({ apis: [unreadableQuiet], findings: [] }).map(needsAttention)).toEqual([true]);
    expect(rankStages({ apis: [stage('failing')], findings: [] }).map(needsAttention)).toEqual([true]);
  });
});
