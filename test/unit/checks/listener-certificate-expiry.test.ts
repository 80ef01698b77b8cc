import { listenerCertificateExpiry } from '../../../lambda/checks/listener-certificate-expiry';
import { type CertificateFacts, collected, failed, type Inventory } from '../../../lambda/domain/types';
import {
  ACCOUNT,
  ALB_ARN,
  accessDenied,
  albScenario,
  LISTENER_ARN,
  nlbScenario,
  onlyResult,
  REGION,
  resultsOf,
  TG_ARN,
} from '../../support/inventory-builders';
import { failingInBurst } from './error-minute-scenarios';

const CERTIFICATE_ARN = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/12345678-1234-1234-1234-123456789012`;
const IAM_CERTIFICATE_ARN = `arn:aws:iam::${ACCOUNT}:server-certificate/orders`;

/** DescribeCertificate's Certificate.{CertificateArn, DomainName, NotAfter, Status}, as the collector keeps them. */
const aCertificate = (overrides: Partial<CertificateFacts> = {}): CertificateFacts => ({
  arn: CERTIFICATE_ARN,
  domainName: 'orders.example.com',
  notAfter: '2027-11-29T00:00:00.000Z',
  status: 'ISSUED',
  ...overrides,
});

/** The ALB's HTTPS:443 listener holds `certificateArns`; the audit's window ends 2026-11-29T12:00Z. */
function albWithCertificate(
  certificate: CertificateFacts | null,
  { failing = true, certificateArns = [CERTIFICATE_ARN] } = {},
): Inventory {
  const inventory = albScenario({
    ...(failing ? failingInBurst : {}),
    loadBalancer: {
      listeners: collected([
        { arn: LISTENER_ARN, port: 443, protocol: 'HTTPS', targetGroupArns: [TG_ARN], certificateArns },
      ]),
    },
  }).build();
  return certificate
    ? { ...inventory, certificates: { [certificate.arn]: collected(certificate) } }
    : inventory;
}

describe('listener-certificate-expiry', () => {
  it('fails a certificate that expired before the stage failed, naming listener, domain and minutes', () => {
    const result = onlyResult(
      listenerCertificateExpiry,
      albWithCertificate(aCertificate({ notAfter: '2026-11-29T11:20:00.000Z', status: 'EXPIRED' })),
    );
    expect(result).toMatchObject({ status: 'FAIL', resourceArn: ALB_ARN });
    expect(result.message).toContain(
      'the certificate of listener HTTPS:443 of ALB orders-alb (orders.example.com) expired at 2026-11-29T11:20:00.000Z, and the stage failed after that, at 11:25-11:30',
    );
    expect(result.evidence).toMatchObject({
      certificateArn: CERTIFICATE_ARN,
      coincidedMinutes: ['2026-11-29T11:25:00.000Z', '2026-11-29T11:30:00.000Z'],
    });
  });

  it('warns (high) of an expired certificate on the path of a stage without error minutes', () => {
    const expired = aCertificate({ notAfter: '2026-11-29T11:20:00.000Z', status: 'EXPIRED' });
    const result = onlyResult(listenerCertificateExpiry, albWithCertificate(expired, { failing: false }));
    expect(result).toMatchObject({ status: 'WARN', severity: 'high' });
  });

  it('warns (low) of a certificate that expires within 30 days, saying in how many', () => {
    const result = onlyResult(
      listenerCertificateExpiry,
      albWithCertificate(aCertificate({ notAfter: '2026-12-09T12:00:00.000Z' })),
    );
    expect(result).toMatchObject({ status: 'WARN', severity: 'low' });
    expect(result.message).toContain('expires at 2026-12-09T12:00:00.000Z, in 10 days');
  });

  it('passes the healthy twin: a certificate valid well beyond the audit', () => {
    const result = onlyResult(listenerCertificateExpiry, albWithCertificate(aCertificate()));
    expect(result.status).toBe('PASS');
    expect(result.message).toBe(
      'the certificate of listener HTTPS:443 of ALB orders-alb (orders.example.com) is valid until 2027-11-29T00:00:00.000Z',
    );
  });

  it('skips a certificate ACM has not issued yet: it has no expiry date', () => {
    const pending = aCertificate({ notAfter: null, status: 'PENDING_VALIDATION' });
    expect(onlyResult(listenerCertificateExpiry, albWithCertificate(pending))).toMatchObject({
      status: 'SKIPPED',
      message:
        'the certificate of listener HTTPS:443 of ALB orders-alb has no expiry date yet (ACM status PENDING_VALIDATION)',
    });
  });

  it('reports ERROR, never PASS, when the ACM certificate could not be read', () => {
    const denied = albWithCertificate(null);
    const result = onlyResult(listenerCertificateExpiry, {
      ...denied,
      certificates: { [CERTIFICATE_ARN]: failed(accessDenied('acm:DescribeCertificate')) },
    });
    expect(result).toMatchObject({ status: 'ERROR', evidence: { action: 'acm:DescribeCertificate' } });
    expect(result.message).toContain(`could not read certificate ${CERTIFICATE_ARN}`);
    expect(onlyResult(listenerCertificateExpiry, albWithCertificate(null))).toMatchObject({
      status: 'ERROR',
      evidence: { code: 'NotCollected' },
    });
  });

  it('skips an IAM server certificate: its expiry is not read', () => {
    const result = onlyResult(
      listenerCertificateExpiry,
      albWithCertificate(null, { certificateArns: [IAM_CERTIFICATE_ARN] }),
    );
    expect(result).toMatchObject({
      status: 'SKIPPED',
      message: 'listener HTTPS:443 of ALB orders-alb uses an IAM server certificate: its expiry is not read',
    });
  });

  it('skips a path whose listeners hold no certificate (the NLB TCP listener)', () => {
    expect(onlyResult(listenerCertificateExpiry, nlbScenario().build())).toMatchObject({
      status: 'SKIPPED',
      message: 'no listener of NLB orders-nlb on the path holds a certificate',
    });
  });

  it('reports ERROR when the listeners could not be read', () => {
    const inventory = nlbScenario({
      loadBalancer: { listeners: failed(accessDenied('elasticloadbalancing:DescribeListeners')) },
    }).build();
    const results = resultsOf(listenerCertificateExpiry, inventory);
    expect(results.map((one) => one.status)).toContain('ERROR');
    expect(results.map((one) => one.status)).not.toContain('PASS');
    expect(results[0]?.evidence).toMatchObject({ action: 'elasticloadbalancing:DescribeListeners' });
  });
});
