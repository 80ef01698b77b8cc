/**
 * integration-listener on TLS: the certificate the listener presents must cover the name API Gateway
 * verifies (REST: the URI's host; HTTP APIs: TlsConfig.ServerNameToVerify), and HTTP APIs speak HTTPS
 * by TlsConfig. Every "finds" case has its healthy twin.
 */
import { integrationListener } from '../../../lambda/checks/integration-listener';
import {
  type CertificateFacts,
  type Collected,
  collected,
  failed,
  type IntegrationFacts,
  type ListenerCertificate,
  type ListenerFacts,
} from '../../../lambda/domain/types';
import { auditedPath } from '../../../lambda/path/components';
import {
  aCertificate,
  accessDenied,
  albScenario,
  anAlb,
  anHttpIntegration,
  aRestIntegration,
  aVpcLink,
  CERTIFICATE_ARN,
  LISTENER_ARN,
  NLB_ARN,
  nlbScenario,
  onlyResult,
  restThroughNlbToAlb,
  resultsOf,
  TG_ARN,
} from '../../support/inventory-builders';

const SNI_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/87654321-4321-4321-4321-210987654321';
const IAM_CERTIFICATE = 'arn:aws:iam::123456789012:server-certificate/orders-2026';

/**
 * An NLB TLS listener on 443: DescribeListeners `Certificates` holds its default, and
 * DescribeListenerCertificates every certificate with `IsDefault` (ELB API reference, both pages).
 */
const tlsListener = (
  certificates: ListenerCertificate[] | Collected<ListenerCertificate[]>,
): ListenerFacts => ({
  arn: `${NLB_ARN}/listener-443`,
  port: 443,
  protocol: 'TLS',
  targetGroupArns: [TG_ARN],
  certificateArns: [CERTIFICATE_ARN],
  certificates: Array.isArray(certificates) ? collected(certificates) : certificates,
});

const DEFAULT_ONLY: ListenerCertificate[] = [{ arn: CERTIFICATE_ARN, isDefault: true }];
const WITH_SNI: ListenerCertificate[] = [
  { arn: CERTIFICATE_ARN, isDefault: true },
  { arn: SNI_ARN, isDefault: false },
];

/** A REST private integration to `uri` on the NLB's TLS listener, with the certificates DescribeCertificate read. */
function restOverTls(
  uri: string,
  listed: ListenerCertificate[] | Collected<ListenerCertificate[]>,
  read: Record<string, CertificateFacts | Collected<CertificateFacts>>,
) {
  const builder = nlbScenario({
    stage: { integrations: collected([aRestIntegration({ uri, port: 443 })]) },
    loadBalancer: { listeners: collected([tlsListener(listed)]) },
  });
  for (const [arn, certificate] of Object.entries(read)) builder.withCertificate(arn, certificate);
  return builder.build();
}

const defaultFor = (domainName: string, subjectAlternativeNames = [domainName]) =>
  aCertificate({ domainName, subjectAlternativeNames });

describe('integration-listener: the certificate presented covers the name API Gateway verifies (REST)', () => {
  it('fails a host that none of the certificates covers, naming the host, listener and certificates', () => {
    const inventory = restOverTls('https://orders.example.com/orders', DEFAULT_ONLY, {
      [CERTIFICATE_ARN]: defaultFor('www.example.com', ['www.example.com', 'shop.example.com']),
    });
    const result = onlyResult(integrationListener, inventory);
    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      `integration GET /orders sends to port 443, where NLB orders-nlb has a TLS listener over HTTPS and API Gateway verifies the name orders.example.com, which none of the certificates of the TLS:443 listener of NLB orders-nlb covers (${CERTIFICATE_ARN} (www.example.com, shop.example.com)): the listener presents its default certificate ${CERTIFICATE_ARN} and API Gateway fails the TLS handshake (REST execution logs: "General SSL engine problem")`,
    );
    expect(result.evidence).toMatchObject({
      serverName: 'orders.example.com',
      certificateArns: [CERTIFICATE_ARN],
      defaultCertificateArn: CERTIFICATE_ARN,
    });
  });

  it('passes the twin whose host is a subject alternative name of the default certificate', () => {
    const inventory = restOverTls('https://shop.example.com/orders', DEFAULT_ONLY, {
      [CERTIFICATE_ARN]: defaultFor('www.example.com', ['www.example.com', 'shop.example.com']),
    });
    const result = onlyResult(integrationListener, inventory);
    expect(result.status).toBe('PASS');
    expect(result.message).toContain('which covers shop.example.com, the name API Gateway verifies');
  });

  it('lets a wildcard cover one label only: fails two labels down, passes its twin one label down', () => {
    const wildcard = { [CERTIFICATE_ARN]: defaultFor('*.example.com') };
    const deep = restOverTls('https://api.orders.example.com/orders', DEFAULT_ONLY, wildcard);
    expect(onlyResult(integrationListener, deep).status).toBe('FAIL');
    const twin = restOverTls('https://orders.example.com/orders', DEFAULT_ONLY, wildcard);
    expect(onlyResult(integrationListener, twin).status).toBe('PASS');
  });

  it('passes a host that an additional SNI certificate covers, and fails the twin without it', () => {
    const read = {
      [CERTIFICATE_ARN]: defaultFor('www.example.com'),
      [SNI_ARN]: aCertificate({ arn: SNI_ARN, domainName: 'orders.example.com' }),
    };
    const withSni = onlyResult(
      integrationListener,
      restOverTls('https://orders.example.com/orders', WITH_SNI, read),
    );
    expect(withSni.status).toBe('PASS');
    expect(withSni.evidence).toMatchObject({ certificateArns: [SNI_ARN] });
    const without = restOverTls('https://orders.example.com/orders', DEFAULT_ONLY, read);
    expect(onlyResult(integrationListener, without).status).toBe('FAIL');
  });

  it('never fails on an IAM server certificate, whose names are not read: it says the listener may present it', () => {
    const listed = [
      { arn: CERTIFICATE_ARN, isDefault: true },
      { arn: IAM_CERTIFICATE, isDefault: false },
    ];
    const result = onlyResult(
      integrationListener,
      restOverTls('https://orders.example.com/orders', listed, {
        [CERTIFICATE_ARN]: defaultFor('www.example.com'),
      }),
    );
    expect(result).toMatchObject({ status: 'WARN', severity: 'info' });
    expect(result.message).toContain(
      `the names of ${IAM_CERTIFICATE} (an IAM server certificate: names not read)`,
    );
  });

  it('reports ERROR, never a pass, when a certificate that may be presented could not be read', () => {
    const unreadable = restOverTls('https://orders.example.com/orders', DEFAULT_ONLY, {
      [CERTIFICATE_ARN]: failed(accessDenied('acm:DescribeCertificate')),
    });
    expect(onlyResult(integrationListener, unreadable)).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'acm:DescribeCertificate' },
    });
    const listUnreadable = restOverTls(
      'https://orders.example.com/orders',
      failed(accessDenied('elasticloadbalancing:DescribeListenerCertificates')),
      { [CERTIFICATE_ARN]: defaultFor('www.example.com') },
    );
    expect(onlyResult(integrationListener, listUnreadable)).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'elasticloadbalancing:DescribeListenerCertificates' },
    });
  });

  it('reports ERROR for an HTTPS listener whose certificates were not collected, never a pass', () => {
    const inventory = nlbScenario({
      stage: {
        integrations: collected([aRestIntegration({ uri: 'https://orders.example.com/', port: 443 })]),
      },
      loadBalancer: {
        listeners: collected([
          { arn: `${NLB_ARN}/listener-443`, port: 443, protocol: 'TLS', targetGroupArns: [TG_ARN] },
        ]),
      },
    }).build();
    expect(onlyResult(integrationListener, inventory)).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'elasticloadbalancing:DescribeListenerCertificates', code: 'NotCollected' },
    });
  });

  it('fails any integration to a UDP listener, and treats a TCP_UDP one as TCP (TLS passes through)', () => {
    const to = (protocol: string) =>
      nlbScenario({
        stage: {
          integrations: collected([aRestIntegration({ uri: 'https://orders.example.com/', port: 443 })]),
        },
        loadBalancer: {
          listeners: collected([
            { arn: `${NLB_ARN}/listener-443`, port: 443, protocol, targetGroupArns: [TG_ARN] },
          ]),
        },
      }).build();
    const udp = onlyResult(integrationListener, to('UDP'));
    expect(udp.status).toBe('FAIL');
    expect(udp.message).toContain('API Gateway opens a TCP connection, which a UDP listener does not accept');
    expect(onlyResult(integrationListener, to('TCP_UDP'))).toMatchObject({
      status: 'WARN',
      severity: 'medium',
    });
  });

  it("fails with DescribeListeners' default alone when the certificate list was not read", () => {
    const builder = nlbScenario({
      stage: {
        integrations: collected([aRestIntegration({ uri: 'https://orders.example.com/', port: 443 })]),
      },
      loadBalancer: {
        listeners: collected([
          {
            arn: `${NLB_ARN}/listener-443`,
            port: 443,
            protocol: 'TLS',
            targetGroupArns: [TG_ARN],
            certificateArns: [CERTIFICATE_ARN],
          },
        ]),
      },
    }).withCertificate(CERTIFICATE_ARN, defaultFor('www.example.com'));
    expect(onlyResult(integrationListener, builder.build())).toMatchObject({
      status: 'FAIL',
      evidence: { certificateArns: [CERTIFICATE_ARN], defaultCertificateArn: CERTIFICATE_ARN },
    });
  });

  it('does not judge certificates behind a TCP listener, which passes TLS through to the targets', () => {
    const tcp = nlbScenario({
      stage: {
        integrations: collected([aRestIntegration({ uri: 'https://orders.example.com/', port: 80 })]),
      },
    }).build();
    const result = onlyResult(integrationListener, tcp);
    expect(result).toMatchObject({ status: 'WARN', severity: 'medium' });
    expect(result.message).toContain('works only if the targets terminate TLS themselves');
  });
});

describe('integration-listener: HTTP API private integrations speak HTTPS by TlsConfig', () => {
  const httpTo = (integration: IntegrationFacts, listener: Partial<ListenerFacts> = {}) => {
    const listeners = anAlb().listeners;
    const https = listeners.ok ? listeners.value : [];
    return albScenario({
      stage: { integrations: collected([integration]) },
      loadBalancer: { listeners: collected(https.map((l) => ({ ...l, ...listener }))) },
    }).build();
  };
  /** The same integration without TlsConfig: API Gateway speaks plain HTTP. */
  const { tlsConfig: _, ...plain } = anHttpIntegration();

  it('passes a TlsConfig whose ServerNameToVerify the certificate covers (the twin of the cases below)', () => {
    expect(onlyResult(integrationListener, httpTo(anHttpIntegration())).status).toBe('PASS');
  });

  it('fails an integration without TlsConfig to an HTTPS listener: it speaks plain HTTP, whatever its URI', () => {
    const result = onlyResult(integrationListener, httpTo(plain));
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain(
      "sends to ALB orders-alb's HTTPS:443 listener: an integration without TlsConfig sends plain HTTP to a HTTPS listener",
    );
  });

  it('fails a TlsConfig to an HTTP listener, and passes its twin without TlsConfig', () => {
    const httpListener = { protocol: 'HTTP', port: 80 };
    const tls = onlyResult(integrationListener, httpTo(anHttpIntegration(), httpListener));
    expect(tls.status).toBe('FAIL');
    expect(tls.message).toContain(
      'TlsConfig makes the integration open a TLS handshake with an HTTP listener',
    );
    expect(onlyResult(integrationListener, httpTo(plain, httpListener)).status).toBe('PASS');
  });

  it('warns, never fails, of a TlsConfig to a TCP listener: only the targets can end TLS', () => {
    const result = onlyResult(integrationListener, httpTo(anHttpIntegration(), { protocol: 'TCP' }));
    expect(result).toMatchObject({ status: 'WARN', severity: 'medium' });
    expect(result.message).toContain(
      'HTTPS (TlsConfig) to a TCP listener works only if the targets terminate TLS',
    );
  });

  it('fails a ServerNameToVerify the certificates do not cover', () => {
    const result = onlyResult(
      integrationListener,
      httpTo(anHttpIntegration({ tlsConfig: { serverNameToVerify: 'payments.example.com' } })),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain(
      `verifies the name payments.example.com, which none of the certificates of the HTTPS:443 listener of ALB orders-alb covers (${CERTIFICATE_ARN} (orders.example.com))`,
    );
  });

  it('does not judge the name of a TlsConfig without ServerNameToVerify: AWS does not document it', () => {
    const result = onlyResult(integrationListener, httpTo(anHttpIntegration({ tlsConfig: {} })));
    expect(result).toMatchObject({ status: 'WARN', severity: 'info' });
    expect(result.message).toContain('names no ServerNameToVerify');
    expect(LISTENER_ARN).toBe(result.evidence?.listener);
  });
});

describe('TLS explanation codes on the audited path', () => {
  const listenerHop = (inventory: ReturnType<typeof restOverTls>) => {
    const [stage] = inventory.stages;
    const hop = stage ? auditedPath(stage, inventory).find((one) => one.kind === 'listener') : undefined;
    return hop && { explanations: hop.explanations?.map((one) => one.explanationCode) };
  };

  it('marks the listener whose certificates do not cover the name, and the FAIL with the code and its source', () => {
    const inventory = restOverTls('https://orders.example.com/orders', DEFAULT_ONLY, {
      [CERTIFICATE_ARN]: defaultFor('www.example.com'),
    });
    expect(listenerHop(inventory)?.explanations).toEqual(['CERTIFICATE_NOT_COVERING_NAME']);
    expect(onlyResult(integrationListener, inventory).evidence).toMatchObject({
      explanation: 'CERTIFICATE_NOT_COVERING_NAME',
      explanationSource: expect.stringContaining('set-up-api-with-vpclink-using-swagger'),
    });
  });

  it('leaves the twin whose certificate covers the name unmarked, and says when names are unknown', () => {
    const covered = restOverTls('https://orders.example.com/orders', DEFAULT_ONLY, {
      [CERTIFICATE_ARN]: defaultFor('orders.example.com'),
    });
    expect(listenerHop(covered)?.explanations).toBeUndefined();
    const iam = restOverTls(
      'https://orders.example.com/orders',
      [
        { arn: CERTIFICATE_ARN, isDefault: true },
        { arn: IAM_CERTIFICATE, isDefault: false },
      ],
      { [CERTIFICATE_ARN]: defaultFor('www.example.com') },
    );
    expect(listenerHop(iam)?.explanations).toEqual(['CERTIFICATE_NAMES_UNKNOWN']);
  });
});

describe('integration-listener: HTTPS through an NLB TCP listener to the ALB behind it', () => {
  const throughNlbToAlb = (
    host: string,
    albListener: Partial<ListenerFacts>,
    certificate: CertificateFacts,
  ) =>
    restThroughNlbToAlb(`https://${host}/orders`, { albListener })
      .withCertificate(CERTIFICATE_ARN, certificate)
      .build();
  const onIntegration = (inventory: ReturnType<typeof throughNlbToAlb>) =>
    resultsOf(integrationListener, inventory).filter((r) => r.resourceType === 'AWS::ApiGateway::Method');

  it("judges the ALB's certificate for the URI's host: passes a covered host, fails its twin", () => {
    const covered = onIntegration(throughNlbToAlb('orders.example.com', {}, defaultFor('*.example.com')));
    expect(covered.map((r) => r.status)).toEqual(['PASS']);
    expect(covered[0]?.message).toContain(
      'the TCP listener passes its TLS session through to the HTTPS:443 listener of ALB orders-alb (behind NLB orders-nlb)',
    );
    const uncovered = onIntegration(throughNlbToAlb('orders.example.net', {}, defaultFor('*.example.com')));
    expect(uncovered.map((r) => r.status)).toEqual(['FAIL']);
    expect(uncovered[0]?.evidence).toMatchObject({ explanation: 'CERTIFICATE_NOT_COVERING_NAME' });
  });

  it('fails TLS passed through to an ALB listener that speaks plain HTTP', () => {
    const http = onIntegration(
      throughNlbToAlb('orders.example.com', { protocol: 'HTTP' }, defaultFor('orders.example.com')),
    );
    expect(http.map((r) => r.status)).toEqual(['FAIL']);
    expect(http[0]?.message).toContain('an HTTP listener, which expects plain HTTP');
  });
});

describe('integration-listener: an HTTP API private integration to an NLB TCP listener', () => {
  // GetIntegrations (apigatewayv2 API reference): `IntegrationUri` is the NLB listener's ARN and
  // `ConnectionId` the V2 link; `TlsConfig` makes API Gateway speak HTTPS.
  const NLB_LISTENER = `${NLB_ARN}/listener-80`;
  const httpApiToNlb = (tlsConfig: IntegrationFacts['tlsConfig'] | undefined) => {
    const { tlsConfig: _, ...plain } = anHttpIntegration({
      uri: NLB_LISTENER,
      listenerArn: NLB_LISTENER,
      loadBalancerArns: [NLB_ARN],
    });
    return nlbScenario({
      stage: { integrations: collected([tlsConfig ? { ...plain, tlsConfig } : plain]) },
    })
      .with(
        'vpcLinks',
        'vl-http',
        aVpcLink({ id: 'vl-http', name: 'http-link', version: 'V2', targetArns: [] }),
      )
      .build();
  };

  it('warns that HTTPS by TlsConfig works only if the targets end TLS: the TCP listener passes it through', () => {
    const result = onlyResult(
      integrationListener,
      httpApiToNlb({ serverNameToVerify: 'orders.example.com' }),
    );
    expect(result).toMatchObject({ status: 'WARN', severity: 'medium' });
    expect(result.message).toContain(
      'HTTPS (TlsConfig) to a TCP listener works only if the targets terminate TLS themselves',
    );
  });

  it('passes the twin without TlsConfig: plain HTTP over the TCP listener', () => {
    expect(onlyResult(integrationListener, httpApiToNlb(undefined)).status).toBe('PASS');
  });
});
