/**
 * TLS on the path, against the emulator: an HTTP API private integration speaks HTTPS by its
 * TlsConfig and verifies `ServerNameToVerify` against the certificate the ALB's HTTPS listener
 * presents for that name: an SNI certificate added with AddListenerCertificates when one covers it,
 * the default otherwise. The emulator implements AddListenerCertificates and
 * DescribeListenerCertificates (it lists the default first with IsDefault true, and does not repeat
 * it as AWS may) and keeps an HTTP API integration's TlsConfig; it enforces no TLS itself, so each
 * test asserts the audit's reasoning beside its healthy twin.
 */

import { GetIntegrationsCommand, UpdateIntegrationCommand } from '@aws-sdk/client-apigatewayv2';
import { AddListenerCertificatesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { integrationListener } from '../../lambda/checks/integration-listener';
import { listenerCertificateExpiry } from '../../lambda/checks/listener-certificate-expiry';
import { CallStats, createClients } from '../../lambda/collect/clients';
import { collectInventory } from '../../lambda/collect/inventory';
import type { Finding } from '../../lambda/domain/types';
import { evaluateChecks } from '../../lambda/engine/evaluate';
import { classifyStage, DEFAULT_THRESHOLDS } from '../../lambda/triage/classify-stage';
import { readTraffic } from '../../lambda/triage/read-traffic';
import { HEALTHY_TWIN } from '../../scripts/seed/broken-account';
import { type AccountSpec, seedAccount } from '../../scripts/seed/seed-account';
import { must, useEmulator } from '../support/emulator';
import { importTestCertificate } from '../support/test-certificate';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The healthy shop, with catalog-http sending to a new HTTPS:443 listener of catalog-alb holding `defaultCertificateArn`. */
function httpsShop(defaultCertificateArn: string): AccountSpec {
  return {
    ...HEALTHY_TWIN,
    loadBalancers: HEALTHY_TWIN.loadBalancers.map((lb) =>
      lb.name === 'catalog-alb'
        ? {
            ...lb,
            listeners: [
              ...lb.listeners,
              {
                port: 443,
                protocol: 'HTTPS' as const,
                targetGroup: 'catalog-tg',
                certificateArn: defaultCertificateArn,
              },
            ],
          }
        : lb,
    ),
    httpApis: HEALTHY_TWIN.httpApis.map((api) =>
      api.name === 'catalog-http'
        ? { ...api, integrations: api.integrations.map((integration) => ({ ...integration, port: 443 })) }
        : api,
    ),
  };
}

describe('TLS between API Gateway and the listener (emulator)', () => {
  const aws = useEmulator();

  beforeEach(async () => {
    await aws.emulator().reset();
  });

  interface Setup {
    /** The listener's default certificate, for one name, valid from a day ago until `until`. */
    defaultName: string;
    /** An SNI certificate added to the listener's certificate list. */
    sni?: { name: string; until?: number };
    /** catalog-http's TlsConfig; absent: none (plain HTTP). */
    tlsConfig?: { ServerNameToVerify?: string };
    /** When the audit runs (default: now). */
    auditAt?: number;
  }

  async function audit(
    setup: Setup,
  ): Promise<{ findings: Finding[]; calls: Record<string, number>; sniArn?: string }> {
    const now = Date.now();
    const clients = aws.clients();
    const since = new Date(now - DAY_MS).toISOString();
    const defaultArn = await importTestCertificate(
      clients,
      setup.defaultName,
      since,
      new Date(now + 365 * DAY_MS).toISOString(),
    );
    const sniArn = setup.sni
      ? await importTestCertificate(
          clients,
          setup.sni.name,
          since,
          new Date(setup.sni.until ?? now + 365 * DAY_MS).toISOString(),
        )
      : undefined;
    const seeded = await seedAccount(clients, httpsShop(defaultArn), new Date(setup.auditAt ?? now));
    if (sniArn) {
      await clients.elb.send(
        new AddListenerCertificatesCommand({
          ListenerArn: must(seeded.listeners['catalog-alb:443'], 'catalog-alb:443'),
          Certificates: [{ CertificateArn: sniArn }],
        }),
      );
    }
    if (setup.tlsConfig) {
      const apiId = must(seeded.httpApis['catalog-http'], 'catalog-http');
      const { Items } = await clients.apiGatewayV2.send(new GetIntegrationsCommand({ ApiId: apiId }));
      for (const integration of Items ?? []) {
        await clients.apiGatewayV2.send(
          new UpdateIntegrationCommand({
            ApiId: apiId,
            IntegrationId: must(integration.IntegrationId, 'integration id'),
            TlsConfig: setup.tlsConfig,
          }),
        );
      }
    }
    const stats = new CallStats();
    const counted = createClients(aws.target(), stats);
    const triage = await readTraffic(counted, seeded.window);
    const stages = triage.traffic.map((stage) => classifyStage(stage, DEFAULT_THRESHOLDS, seeded.window));
    const inventory = await collectInventory(counted, stages, seeded.window, '123456789012');
    const findings = evaluateChecks(inventory, {
      allChecks: false,
      checks: [integrationListener, listenerCertificateExpiry],
    });
    return { findings, calls: stats.calls, ...(sniArn ? { sniArn } : {}) };
  }

  /** The one finding of `checkId` about catalog-http's integration (integration-listener) or catalog-alb (expiry). */
  const catalog = (findings: Finding[], checkId: string): Finding => {
    const matching = findings.filter(
      (f) =>
        f.checkId === checkId &&
        (f.resourceArn.includes('catalog-alb') ||
          (f.resourceType === 'AWS::ApiGatewayV2::Integration' && f.message.includes('HTTPS:443'))),
    );
    expect(matching).toHaveLength(1);
    return matching[0] as Finding;
  };

  it('fails a ServerNameToVerify no certificate of the listener covers, and passes the twin whose SNI certificate does', async () => {
    const broken = await audit({
      defaultName: 'www.example.com',
      tlsConfig: { ServerNameToVerify: 'catalog.example.com' },
    });
    const finding = catalog(broken.findings, 'integration-listener');
    expect(finding.status).toBe('FAIL');
    expect(finding.message).toMatch(
      /verifies the name catalog\.example\.com, which none of the certificates of the HTTPS:443 listener of ALB catalog-alb covers \(arn:aws:acm:[^ ]+ \(www\.example\.com\)\): the listener presents its default certificate arn:aws:acm:\S+ and API Gateway fails the TLS handshake/,
    );
    // The certificate list was read for the one HTTPS listener on the path, and each certificate once.
    expect(broken.calls['ElasticLoadBalancingV2.DescribeListenerCertificates']).toBe(1);
    expect(broken.calls['ACM.DescribeCertificate']).toBe(1);

    await aws.emulator().reset();
    const twin = await audit({
      defaultName: 'www.example.com',
      sni: { name: '*.example.com' },
      tlsConfig: { ServerNameToVerify: 'catalog.example.com' },
    });
    const passed = catalog(twin.findings, 'integration-listener');
    expect(passed.status).toBe('PASS');
    expect(passed.evidence).toMatchObject({ certificateArns: [twin.sniArn] });
    expect(twin.calls['ACM.DescribeCertificate']).toBe(2);
  }, 240_000);

  it('fails an integration without TlsConfig to the HTTPS listener: it speaks plain HTTP', async () => {
    const { findings } = await audit({ defaultName: 'catalog.example.com' });
    const finding = catalog(findings, 'integration-listener');
    expect(finding.status).toBe('FAIL');
    expect(finding.message).toContain(
      'an integration without TlsConfig sends plain HTTP to a HTTPS listener',
    );
  }, 240_000);

  it("judges the expiry of the SNI certificate served for the verified name, and the default's for its twin", async () => {
    // ACM refuses to import an expired certificate: the SNI one expires in an hour, and the audit
    // covers the hour that starts two hours later, as a run then would see it.
    const now = Date.now();
    const expired = await audit({
      defaultName: 'www.example.com',
      sni: { name: 'catalog.example.com', until: now + HOUR_MS },
      tlsConfig: { ServerNameToVerify: 'catalog.example.com' },
      auditAt: now + 3 * HOUR_MS,
    });
    const finding = catalog(expired.findings, 'listener-certificate-expiry');
    expect(finding.status).toBe('FAIL');
    expect(finding.evidence).toMatchObject({ certificateArn: expired.sniArn });
    expect(finding.message).toContain(
      'the certificate of listener HTTPS:443 of ALB catalog-alb for catalog.example.com (catalog.example.com) expired at',
    );

    await aws.emulator().reset();
    const twin = await audit({
      defaultName: 'www.example.com',
      sni: { name: 'catalog.example.com', until: Date.now() + HOUR_MS },
      tlsConfig: { ServerNameToVerify: 'www.example.com' },
      auditAt: Date.now() + 3 * HOUR_MS,
    });
    const served = catalog(twin.findings, 'listener-certificate-expiry');
    expect(served.status).toBe('PASS');
    expect(served.evidence).not.toMatchObject({ certificateArn: twin.sniArn });
  }, 240_000);
});
