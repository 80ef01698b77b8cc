/**
 * The collector reads a listener's certificate list (DescribeListenerCertificates) only for the HTTPS
 * and TLS listeners on a path, and each certificate once (DescribeCertificate). Recorded responses:
 * the emulator answers these calls too (test/integration/listener-tls.test.ts), but cannot deny one.
 */
import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeListenerCertificatesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { httpIntegrationFacts } from '../../../lambda/collect/api-gateway-http';
import type { ListenerFacts } from '../../../lambda/domain/types';
import {
  arns,
  audit,
  recordNlbInFrontOfAlb,
  recordSharedAlb,
  recordV1RestPathToNlb,
  stage,
} from './real-account';
import { awsError, recordedClients } from './recorded-clients';

const SNI_CERTIFICATE = 'arn:aws:acm:us-east-1:111122223333:certificate/87654321-4321-4321-4321-210987654321';

/** REST -> V1 link -> NLB TCP:80 -> `alb` target group -> shared-alb HTTPS:443 (8443 is not on the path). */
function recordPathToAlb443() {
  const recorded = recordedClients();
  recordV1RestPathToNlb(recorded);
  recordSharedAlb(recorded);
  recordNlbInFrontOfAlb(recorded, 443);
  // ELB API reference, DescribeListenerCertificates: the default (`IsDefault` true), and the certificate
  // list, where the default may appear again with `IsDefault` false.
  recorded.mocks.elb.on(DescribeListenerCertificatesCommand, { ListenerArn: arns.albListener443 }).resolves({
    Certificates: [
      { CertificateArn: arns.albCertificate, IsDefault: true },
      { CertificateArn: arns.albCertificate, IsDefault: false },
      { CertificateArn: SNI_CERTIFICATE, IsDefault: false },
    ],
  });
  // AWS CLI reference, acm describe-certificate example: DomainName, SubjectAlternativeNames, NotAfter, Status.
  for (const [arn, names] of [
    [arns.albCertificate, ['shop.example.com', 'www.example.com']],
    [SNI_CERTIFICATE, ['*.example.com']],
  ] as const) {
    recorded.mocks.acm.on(DescribeCertificateCommand, { CertificateArn: arn }).resolves({
      Certificate: {
        CertificateArn: arn,
        DomainName: names[0],
        SubjectAlternativeNames: [...names],
        NotAfter: new Date('2027-11-29T12:00:00Z'),
        Status: 'ISSUED',
      },
    });
  }
  return recorded;
}

const albListener = (listeners: ListenerFacts[] | undefined, arn: string) =>
  listeners?.find((listener) => listener.arn === arn);

describe('listener certificates on the path', () => {
  it('reads the certificate list of the HTTPS listener on the path only, and each certificate once', async () => {
    const recorded = recordPathToAlb443();

    const { inventory } = await audit(recorded, [stage({})]);

    const listed = recorded.mocks.elb.commandCalls(DescribeListenerCertificatesCommand);
    expect(listed.map((call) => call.args[0].input.ListenerArn)).toEqual([arns.albListener443]);
    const described = recorded.mocks.acm.commandCalls(DescribeCertificateCommand);
    expect(described.map((call) => call.args[0].input.CertificateArn).sort()).toEqual(
      [arns.albCertificate, SNI_CERTIFICATE].sort(),
    );
    const alb = inventory.loadBalancers[arns.alb];
    const listeners = alb?.ok && alb.value.listeners.ok ? alb.value.listeners.value : undefined;
    expect(albListener(listeners, arns.albListener443)?.certificates).toEqual({
      ok: true,
      value: [
        { arn: arns.albCertificate, isDefault: true },
        { arn: arns.albCertificate, isDefault: false },
        { arn: SNI_CERTIFICATE, isDefault: false },
      ],
    });
    // Off the path: its certificate list is not read.
    expect(albListener(listeners, arns.albListener8443)?.certificates).toBeUndefined();
    expect(inventory.certificates?.[SNI_CERTIFICATE]).toMatchObject({
      ok: true,
      value: { domainName: '*.example.com', subjectAlternativeNames: ['*.example.com'] },
    });
  });

  it('records a denied DescribeListenerCertificates against the listener, naming the action', async () => {
    const recorded = recordPathToAlb443();
    recorded.mocks.elb
      .on(DescribeListenerCertificatesCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform DescribeListenerCertificates'));

    const { inventory } = await audit(recorded, [stage({})]);

    const alb = inventory.loadBalancers[arns.alb];
    const listeners = alb?.ok && alb.value.listeners.ok ? alb.value.listeners.value : undefined;
    expect(albListener(listeners, arns.albListener443)?.certificates).toMatchObject({
      ok: false,
      error: { action: 'elasticloadbalancing:DescribeListenerCertificates', code: 'AccessDenied' },
    });
    // The default, from DescribeListeners, is still read.
    expect(inventory.certificates?.[arns.albCertificate]?.ok).toBe(true);
  });
});

describe('HTTP API TlsConfig (GetIntegrations)', () => {
  // apigatewayv2 API reference, Integration: `TlsConfig` with an optional `ServerNameToVerify`.
  const integration = {
    IntegrationId: 'abc123',
    IntegrationType: 'HTTP_PROXY' as const,
    ConnectionType: 'VPC_LINK' as const,
    ConnectionId: 'v2link1',
    IntegrationUri: arns.albListener443,
  };

  it('keeps the name to verify, an empty TlsConfig as HTTPS without a name, and no TlsConfig as plain HTTP', () => {
    const named = httpIntegrationFacts(
      'us-east-1',
      'h1',
      { ...integration, TlsConfig: { ServerNameToVerify: 'orders.example.com' } },
      {},
    );
    expect(named.tlsConfig).toEqual({ serverNameToVerify: 'orders.example.com' });
    expect(httpIntegrationFacts('us-east-1', 'h1', { ...integration, TlsConfig: {} }, {}).tlsConfig).toEqual(
      {},
    );
    expect(httpIntegrationFacts('us-east-1', 'h1', integration, {})).not.toHaveProperty('tlsConfig');
  });
});
