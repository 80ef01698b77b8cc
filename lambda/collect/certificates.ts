/**
 * The ACM certificates of the listeners on a path, defaults and SNI certificates alike: one
 * DescribeCertificate each (each certificate once, however many listeners hold it), a few at a time.
 * IAM server certificates are not read: their names and expiry stay unknown.
 */
import { type ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { isAcmCertificate } from '../domain/arns';
import type { CertificateFacts, Collected } from '../domain/types';
import { attempt } from './collect-error';
import { mapBounded } from './memo';

export const IAM_ACTIONS = ['acm:DescribeCertificate'] as const;

/** ACM allows 10 DescribeCertificate calls per second. */
const CONCURRENCY = 5;

export async function readCertificates(
  acm: ACMClient,
  arns: readonly string[],
): Promise<Record<string, Collected<CertificateFacts>>> {
  const wanted = [...new Set(arns.filter(isAcmCertificate))];
  const read = await mapBounded(wanted, CONCURRENCY, (arn) =>
    attempt('acm:DescribeCertificate', async () => {
      const { Certificate: certificate } = await acm.send(
        new DescribeCertificateCommand({ CertificateArn: arn }),
      );
      return {
        arn,
        domainName: certificate?.DomainName ?? '',
        notAfter: certificate?.NotAfter ? certificate.NotAfter.toISOString() : null,
        status: certificate?.Status ?? '',
        subjectAlternativeNames: certificate?.SubjectAlternativeNames ?? [],
      };
    }),
  );
  return Object.fromEntries(wanted.map((arn, index) => [arn, read[index] as Collected<CertificateFacts>]));
}
