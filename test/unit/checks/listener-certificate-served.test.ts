/**
 * listener-certificate-expiry judges the certificate the listener actually serves for the name API
 * Gateway verifies (an SNI certificate when one covers it, the default otherwise), each "finds" case
 * with its healthy twin.
 */
import { listenerCertificateExpiry } from '../../../lambda/checks/listener-certificate-expiry';
import {
  type CertificateFacts,
  collected,
  failed,
  type IntegrationFacts,
  type ListenerCertificate,
  type ListenerFacts,
} from '../../../lambda/domain/types';
import {
  ALB_ARN,
  aCertificate,
  accessDenied,
  albScenario,
  anAlb,
  anHttpIntegration,
  aRestIntegration,
  CERTIFICATE_ARN,
  NLB_ARN,
  nlbScenario,
  restThroughNlbToAlb,
  resultsOf,
  TG_ARN,
} from '../../support/inventory-builders';

const SNI_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/87654321-4321-4321-4321-210987654321';
const SECOND_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const IAM_CERTIFICATE = 'arn:aws:iam::123456789012:server-certificate/orders-2026';

/** The builders' window is 11:00-12:00 UTC; the stage failed at 11:30, after this. */
const EXPIRED = '2026-11-29T11:10:00.000Z';
const VALID = '2027-11-29T12:00:00.000Z';

/**
 * An HTTP API stage that failed at 11:30, sending through `integration` to the ALB's HTTPS:443
 * listener, whose certificate list (DescribeListenerCertificates) is `listed`, with the certificates
 * DescribeCertificate read.
 */
function stageBehind(integration: IntegrationFacts, listed: ListenerCertificate[], read: CertificateFacts[]) {
  const listeners = anAlb().listeners;
  const builder = albScenario({
    stage: {
      integrations: collected([integration]),
      stage: { errorMinutes: [{ at: '2026-11-29T11:30:00.000Z', errors5xx: 50 }] },
    },
    loadBalancer: {
      listeners: collected(
        (listeners.ok ? listeners.value : []).map((listener) => ({
          ...listener,
          certificates: collected(listed),
        })),
      ),
    },
  });
  for (const certificate of read) builder.withCertificate(certificate.arn, certificate);
  return builder.build();
}

/** DescribeCertificate of a certificate for one name (its SubjectAlternativeNames list the domain name). */
const covering = (arn: string, domainName: string, notAfter: string) =>
  aCertificate({ arn, domainName, subjectAlternativeNames: [domainName], notAfter });

const WITH_SNI: ListenerCertificate[] = [
  { arn: CERTIFICATE_ARN, isDefault: true },
  { arn: SNI_ARN, isDefault: false },
];
/** The default covers www.example.com and is valid; the SNI certificate covers orders.example.com and expired. */
const DEFAULT_VALID_SNI_EXPIRED = [
  covering(CERTIFICATE_ARN, 'www.example.com', VALID),
  covering(SNI_ARN, 'orders.example.com', EXPIRED),
];
const verifying = (serverNameToVerify: string) => anHttpIntegration({ tlsConfig: { serverNameToVerify } });

describe('listener-certificate-expiry judges the certificate served for the verified name', () => {
  it('fails the expired SNI certificate the listener serves for the name, naming the name', () => {
    const results = resultsOf(
      listenerCertificateExpiry,
      stageBehind(verifying('orders.example.com'), WITH_SNI, DEFAULT_VALID_SNI_EXPIRED),
    );
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'FAIL', evidence: { certificateArn: SNI_ARN } });
    expect(results[0]?.message).toContain(
      `the certificate of listener HTTPS:443 of ALB orders-alb for orders.example.com (orders.example.com) expired at ${EXPIRED}, and the stage failed after that`,
    );
  });

  it('passes the twin whose name the valid default serves, leaving the expired SNI certificate unjudged', () => {
    const results = resultsOf(
      listenerCertificateExpiry,
      stageBehind(verifying('www.example.com'), WITH_SNI, DEFAULT_VALID_SNI_EXPIRED),
    );
    expect(results.map((r) => [r.status, r.evidence?.certificateArn])).toEqual([['PASS', CERTIFICATE_ARN]]);
  });

  it('judges the default for a name no certificate covers, and the SNI one covering a wildcard name', () => {
    const defaultExpired = [
      covering(CERTIFICATE_ARN, 'www.example.com', EXPIRED),
      covering(SNI_ARN, '*.example.com', VALID),
    ];
    const uncovered = resultsOf(
      listenerCertificateExpiry,
      stageBehind(verifying('orders.example.net'), WITH_SNI, defaultExpired),
    );
    expect(uncovered.map((r) => [r.status, r.evidence?.certificateArn])).toEqual([['FAIL', CERTIFICATE_ARN]]);
    const wildcard = resultsOf(
      listenerCertificateExpiry,
      stageBehind(verifying('orders.example.com'), WITH_SNI, defaultExpired),
    );
    expect(wildcard.map((r) => [r.status, r.evidence?.certificateArn])).toEqual([['PASS', SNI_ARN]]);
  });

  it('judges the default when API Gateway sends no name it documents (TlsConfig without ServerNameToVerify)', () => {
    const results = resultsOf(
      listenerCertificateExpiry,
      stageBehind(anHttpIntegration({ tlsConfig: {} }), WITH_SNI, DEFAULT_VALID_SNI_EXPIRED),
    );
    expect(results.map((r) => [r.status, r.evidence?.certificateArn])).toEqual([['PASS', CERTIFICATE_ARN]]);
  });

  it('only warns of an expired certificate the listener may not present (another covers the name too)', () => {
    const listed = [...WITH_SNI, { arn: SECOND_ARN, isDefault: false }];
    const read = [...DEFAULT_VALID_SNI_EXPIRED, covering(SECOND_ARN, 'orders.example.com', VALID)];
    const results = resultsOf(
      listenerCertificateExpiry,
      stageBehind(verifying('orders.example.com'), listed, read),
    );
    const byArn = Object.fromEntries(results.map((r) => [r.evidence?.certificateArn, r]));
    expect(byArn[SNI_ARN]).toMatchObject({ status: 'WARN', severity: 'medium' });
    expect(byArn[SNI_ARN]?.message).toContain('the listener may present another of its certificates instead');
    expect(byArn[SECOND_ARN]?.status).toBe('PASS');
  });

  it('skips an IAM server certificate the listener may present: its expiry is not read, never a FAIL', () => {
    const listed = [
      { arn: CERTIFICATE_ARN, isDefault: true },
      { arn: IAM_CERTIFICATE, isDefault: false },
    ];
    const results = resultsOf(
      listenerCertificateExpiry,
      stageBehind(verifying('orders.example.com'), listed, [
        covering(CERTIFICATE_ARN, 'www.example.com', EXPIRED),
      ]),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['SKIPPED', 'WARN']);
    expect(results.find((r) => r.status === 'SKIPPED')?.message).toContain('uses an IAM server certificate');
  });

  it("serves a REST integration by its URI's host on an NLB TLS listener, and judges nothing behind a TCP one", () => {
    const tls = {
      arn: `${NLB_ARN}/listener-443`,
      port: 443,
      protocol: 'TLS',
      targetGroupArns: [TG_ARN],
      certificateArns: [CERTIFICATE_ARN],
      certificates: collected(WITH_SNI),
    };
    const rest = (listeners: ListenerFacts[]) => {
      const builder = nlbScenario({
        stage: {
          integrations: collected([
            aRestIntegration({ uri: 'https://orders.example.com/orders', port: 443 }),
          ]),
          stage: { errorMinutes: [{ at: '2026-11-29T11:30:00.000Z', errors5xx: 50 }] },
        },
        loadBalancer: { listeners: collected(listeners) },
      });
      for (const certificate of DEFAULT_VALID_SNI_EXPIRED)
        builder.withCertificate(certificate.arn, certificate);
      return builder.build();
    };
    const served = resultsOf(listenerCertificateExpiry, rest([tls]));
    expect(served.map((r) => [r.status, r.evidence?.certificateArn])).toEqual([['FAIL', SNI_ARN]]);
    const tcp = resultsOf(
      listenerCertificateExpiry,
      rest([{ arn: tls.arn, port: 443, protocol: 'TCP', targetGroupArns: [TG_ARN] }]),
    );
    expect(tcp.map((r) => r.status)).toEqual(['SKIPPED']);
    expect(tcp[0]?.message).toContain('no listener of NLB orders-nlb on the path holds a certificate');
  });

  it("judges the ALB's SNI certificate for the host when the NLB in front passes TLS through, the default when it ends TLS", () => {
    const behind = (frontListener: Partial<ListenerFacts>) => {
      const builder = restThroughNlbToAlb('https://orders.example.com/orders', {
        frontListener,
        albListener: { certificates: collected(WITH_SNI) },
      });
      for (const certificate of DEFAULT_VALID_SNI_EXPIRED)
        builder.withCertificate(certificate.arn, certificate);
      const inventory = builder.build();
      const [stage] = inventory.stages;
      if (stage) stage.stage.errorMinutes = [{ at: '2026-11-29T11:30:00.000Z', errors5xx: 50 }];
      return resultsOf(listenerCertificateExpiry, inventory).filter((r) => r.resourceArn === ALB_ARN);
    };
    const passedThrough = behind({});
    expect(passedThrough.map((r) => [r.status, r.evidence?.certificateArn])).toEqual([['FAIL', SNI_ARN]]);
    // Twin: a TLS listener on the NLB ends API Gateway's session; the ALB is not sent the name: its default.
    const ended = behind({ protocol: 'TLS', certificateArns: [CERTIFICATE_ARN] });
    expect(ended.map((r) => [r.status, r.evidence?.certificateArn])).toEqual([['PASS', CERTIFICATE_ARN]]);
  });

  it('only warns of the expired default when the certificate list could not be read: an SNI one may be served', () => {
    const listeners = anAlb().listeners;
    const builder = albScenario({
      stage: {
        integrations: collected([verifying('orders.example.com')]),
        stage: { errorMinutes: [{ at: '2026-11-29T11:30:00.000Z', errors5xx: 50 }] },
      },
      loadBalancer: {
        listeners: collected(
          (listeners.ok ? listeners.value : []).map((listener) => ({
            ...listener,
            certificates: failed(accessDenied('elasticloadbalancing:DescribeListenerCertificates')),
          })),
        ),
      },
    }).withCertificate(CERTIFICATE_ARN, covering(CERTIFICATE_ARN, 'www.example.com', EXPIRED));
    const results = resultsOf(listenerCertificateExpiry, builder.build());
    expect(results.map((r) => [r.status, r.severity, r.evidence?.certificateArn])).toEqual([
      ['WARN', 'medium', CERTIFICATE_ARN],
    ]);
  });
});
