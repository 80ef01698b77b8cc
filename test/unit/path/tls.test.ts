import { collected, failed, type ListenerFacts } from '../../../lambda/domain/types';
import {
  type CertificateNames,
  certificateNames,
  integrationScheme,
  listenerCertificates,
  nameCovers,
  presentedByListener,
  presentedFor,
  servedBy,
  verifiedName,
} from '../../../lambda/path/tls';
import {
  accessDenied,
  anHttpIntegration,
  aRestIntegration,
  LISTENER_ARN,
} from '../../support/inventory-builders';

const ACM = (id: string) => `arn:aws:acm:us-east-1:123456789012:certificate/${id}`;
const IAM_CERTIFICATE = 'arn:aws:iam::123456789012:server-certificate/orders-2026';

/** Names as DescribeCertificate gives them (DomainName and SubjectAlternativeNames), by ARN. */
const names =
  (known: Record<string, string[]>, unreadable: string[] = []) =>
  (arn: string): CertificateNames => {
    if (arn.includes(':iam::')) return null;
    if (unreadable.includes(arn)) return failed(accessDenied('acm:DescribeCertificate'));
    return collected(known[arn] ?? []);
  };

// DescribeListeners `Certificates` (the default only) and DescribeListenerCertificates
// (`CertificateArn`, `IsDefault`), ELB API reference.
const aListener = (overrides: Partial<ListenerFacts> = {}): ListenerFacts => ({
  arn: LISTENER_ARN,
  port: 443,
  protocol: 'HTTPS',
  targetGroupArns: [],
  certificateArns: [ACM('default')],
  ...overrides,
});

describe('nameCovers: a certificate name against the name API Gateway verifies', () => {
  it('matches a name exactly, whatever the case and a trailing dot', () => {
    expect(nameCovers('orders.example.com', 'orders.example.com')).toBe(true);
    expect(nameCovers('Orders.Example.com', 'orders.example.COM.')).toBe(true);
    expect(nameCovers('orders.example.com', 'shop.example.com')).toBe(false);
  });

  it('lets a wildcard cover exactly one label: not two, not the apex', () => {
    expect(nameCovers('*.example.com', 'orders.example.com')).toBe(true);
    expect(nameCovers('*.example.com', 'a.orders.example.com')).toBe(false);
    expect(nameCovers('*.example.com', 'example.com')).toBe(false);
    expect(nameCovers('*.example.com', '.example.com')).toBe(false);
  });

  it('never matches an empty name', () => {
    expect(nameCovers('', '')).toBe(false);
  });
});

describe('certificateNames', () => {
  it('lists the domain name and the subject alternative names once each, lower case', () => {
    // AWS CLI reference, acm describe-certificate example: the domain name is also the first SAN.
    expect(
      certificateNames({
        domainName: 'www.example.com',
        subjectAlternativeNames: ['www.example.com', 'WWW.example.net', '*.example.org'],
      }),
    ).toEqual(['www.example.com', 'www.example.net', '*.example.org']);
  });
});

describe('listenerCertificates', () => {
  it('keeps the default once where DescribeListenerCertificates lists it twice', () => {
    const listener = aListener({
      certificates: collected([
        { arn: ACM('default'), isDefault: true },
        { arn: ACM('default'), isDefault: false },
        { arn: ACM('sni'), isDefault: false },
      ]),
    });
    expect(listenerCertificates(listener)).toEqual(
      collected([
        { arn: ACM('default'), isDefault: true },
        { arn: ACM('sni'), isDefault: false },
      ]),
    );
  });

  it("falls back to DescribeListeners' default when the list was not read, and is failed when it could not be", () => {
    expect(listenerCertificates(aListener())).toEqual(collected([{ arn: ACM('default'), isDefault: true }]));
    const unreadable = aListener({
      certificates: failed(accessDenied('elasticloadbalancing:DescribeListenerCertificates')),
    });
    expect(listenerCertificates(unreadable).ok).toBe(false);
  });
});

describe('presentedFor: what the listener presents for the SNI name', () => {
  const certificates = [
    { arn: ACM('default'), isDefault: true },
    { arn: ACM('sni'), isDefault: false },
  ];

  it('presents a certificate whose subject alternative name or wildcard covers the name', () => {
    const known = names({ [ACM('default')]: ['www.example.com'], [ACM('sni')]: ['*.example.com'] });
    expect(presentedFor(certificates, 'orders.example.com', known)).toEqual({
      kind: 'covered',
      arns: [ACM('sni')],
    });
    expect(presentedFor(certificates, 'www.example.com', known)).toEqual({
      kind: 'covered',
      arns: [ACM('default'), ACM('sni')],
    });
  });

  it('presents the default when no certificate covers the name', () => {
    const known = names({ [ACM('default')]: ['www.example.com'], [ACM('sni')]: ['shop.example.com'] });
    expect(presentedFor(certificates, 'orders.example.com', known)).toEqual({
      kind: 'not-covered',
      defaultArn: ACM('default'),
    });
  });

  it('does not know what is presented when an IAM or unreadable certificate may cover the name', () => {
    const iam = [
      { arn: ACM('default'), isDefault: true },
      { arn: IAM_CERTIFICATE, isDefault: false },
    ];
    expect(presentedFor(iam, 'orders.example.com', names({ [ACM('default')]: ['www.example.com'] }))).toEqual(
      {
        kind: 'unknown',
        arns: [ACM('default'), IAM_CERTIFICATE],
        unknown: [{ arn: IAM_CERTIFICATE }],
      },
    );
    const unread = presentedFor(certificates, 'orders.example.com', names({}, [ACM('default'), ACM('sni')]));
    expect(unread).toMatchObject({ kind: 'unknown', arns: [ACM('default'), ACM('sni')] });
  });

  it('has nothing to present without a certificate', () => {
    expect(presentedFor([], 'orders.example.com', names({}))).toEqual({ kind: 'no-certificate' });
  });
});

describe('presentedByListener', () => {
  const unreadableList = aListener({
    certificates: failed(accessDenied('elasticloadbalancing:DescribeListenerCertificates')),
  });

  it('settles on a covering default even when the certificate list could not be read', () => {
    const known = names({ [ACM('default')]: ['orders.example.com'] });
    expect(presentedByListener(unreadableList, 'orders.example.com', known)).toEqual({
      kind: 'covered',
      arns: [ACM('default')],
    });
  });

  it('is unreadable when the default does not cover the name and the list could not be read', () => {
    const known = names({ [ACM('default')]: ['www.example.com'] });
    expect(presentedByListener(unreadableList, 'orders.example.com', known)).toMatchObject({
      kind: 'unreadable',
      error: { action: 'elasticloadbalancing:DescribeListenerCertificates' },
    });
  });
});

describe('servedBy', () => {
  it('is certain of one covering certificate or of the default, not of several or of unknown names', () => {
    expect(servedBy({ kind: 'covered', arns: ['a'] })).toEqual({ arns: ['a'], certain: true });
    expect(servedBy({ kind: 'covered', arns: ['a', 'b'] })).toEqual({ arns: ['a', 'b'], certain: false });
    expect(servedBy({ kind: 'not-covered', defaultArn: 'd' })).toEqual({ arns: ['d'], certain: true });
    expect(servedBy({ kind: 'unknown', arns: ['d', 'i'], unknown: [{ arn: 'i' }] })).toEqual({
      arns: ['d', 'i'],
      certain: false,
    });
    expect(servedBy({ kind: 'no-certificate' })).toEqual({ arns: [], certain: false });
  });
});

describe('what API Gateway speaks and the name it verifies', () => {
  it('decides HTTPS for an HTTP API private integration by its TlsConfig, not its URI', () => {
    expect(integrationScheme(anHttpIntegration())).toBe('https');
    expect(integrationScheme(anHttpIntegration({ tlsConfig: {} }))).toBe('https');
    const { tlsConfig: _, ...plain } = anHttpIntegration();
    expect(integrationScheme(plain)).toBe('http');
    expect(verifiedName(anHttpIntegration())).toBe('orders.example.com');
    expect(verifiedName(anHttpIntegration({ tlsConfig: {} }))).toBeUndefined();
  });

  it("takes a REST integration's scheme and host from its URI (stage variables resolved)", () => {
    const rest = aRestIntegration({ uri: 'HTTPS://Orders.Example.com:8443/orders/{id}', port: 8443 });
    expect(integrationScheme(rest)).toBe('https');
    expect(verifiedName(rest)).toBe('orders.example.com');
    expect(integrationScheme(aRestIntegration())).toBe('http');
    const { uri: _, ...withoutUri } = aRestIntegration();
    expect(integrationScheme(withoutUri)).toBeUndefined();
    expect(verifiedName(aRestIntegration({ uri: 'not a uri' }))).toBeUndefined();
  });
});
