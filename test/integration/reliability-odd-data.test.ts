/**
 * Odd but valid accounts, end to end in the emulator: API names with spaces and non-Latin letters,
 * two REST APIs with the same name (CloudWatch merges their metrics), stages without traffic and
 * metric series that do not exist. The audit classifies each truthfully and every rendering holds.
 */
import { type AuditRequest, runAudit } from '../../lambda/audit';
import type { Report } from '../../lambda/domain/types';
import { renderMarkdown } from '../../lambda/report/render-markdown';
import { renderText } from '../../lambda/report/render-text';
import { BROKEN_ACCOUNT } from '../../scripts/seed/broken-account';
import { type AccountSpec, type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import { useEmulator } from '../support/emulator';
import { expectValidReport } from '../support/report-schema';

const TEST_TIMEOUT_MS = 60_000;
const SHARED_NAME = 'Pedidos (produção) – v2 🚀';
const steady = (value: number): number[] => new Array<number>(12).fill(value);
const [ordersHttp, catalogHttp] = BROKEN_ACCOUNT.httpApis;
const [paymentsRest] = BROKEN_ACCOUNT.restApis;

const ODD_ACCOUNT: AccountSpec = {
  ...BROKEN_ACCOUNT,
  httpApis: [
    // Traffic, but no 5xx series at all (a metric that never got a data point).
    {
      ...(ordersHttp as AccountSpec['httpApis'][number]),
      name: 'orders api ünïcode',
      traffic: { requests: steady(500), errors5xx: [] },
    },
    // No series at all: a stage nobody called in the window.
    {
      ...(catalogHttp as AccountSpec['httpApis'][number]),
      name: 'カタログ API',
      traffic: { requests: [], errors5xx: [] },
    },
  ],
  restApis: [
    {
      ...(paymentsRest as AccountSpec['restApis'][number]),
      name: SHARED_NAME,
      traffic: { requests: steady(1000), errors5xx: steady(300) },
    },
    // Same name: its metrics are the same series as the first one's.
    {
      ...(paymentsRest as AccountSpec['restApis'][number]),
      name: SHARED_NAME,
      traffic: { requests: [], errors5xx: [] },
    },
  ],
};

describe('the audit of odd but valid data', () => {
  const aws = useEmulator();
  const now = new Date();
  let seeded: SeededAccount;
  let report: Report;

  beforeAll(async () => {
    seeded = await seedAccount(aws.clients({ rateLimits: false }), ODD_ACCOUNT, now);
    const request: AuditRequest = aws.auditRequest(now, { allChecks: false });
    report = await runAudit(request);
  }, TEST_TIMEOUT_MS);

  const stageNamed = (name: string) => report.apis.filter((api) => api.apiName === name);

  it('says two REST APIs with one name share their metrics, rather than blaming one of them', () => {
    // Assert
    const shared = stageNamed(SHARED_NAME);
    expect(shared).toHaveLength(2);
    const ids = shared.map((api) => api.apiId).sort();
    for (const api of shared) {
      expect(api.sharesMetricsWith).toEqual(ids.filter((id) => id !== api.apiId));
      expect(api.classification).toBe('high-frequency');
    }
    expectValidReport(report);
  });

  it('invents nothing for a stage without any series and calls one without a 5xx series healthy', () => {
    // Assert: the triage lists stages from CloudWatch's Count series, so a stage never called is not listed.
    expect(stageNamed('カタログ API')).toEqual([]);
    expect(stageNamed('orders api ünïcode').map((api) => [api.classification, api.errors5xx])).toEqual([
      ['healthy', 0],
    ]);
    const checkedApis = new Set(report.findings.flatMap((finding) => finding.apis.map((api) => api.apiId)));
    expect(checkedApis.has(seeded.httpApis['カタログ API'] ?? '')).toBe(false);
  });

  it('renders unicode and spaced names intact in text and Markdown', () => {
    // Act
    const text = renderText(report, { color: false });
    const markdown = renderMarkdown(report);

    // Assert
    expect(text.replace(/\s+/g, ' ')).toContain('metrics merged with REST APIs of the same name');
    for (const rendering of [text, markdown]) {
      expect(rendering).toContain(SHARED_NAME);
      expect(rendering).toContain('orders api ünïcode');
    }
  });
});
