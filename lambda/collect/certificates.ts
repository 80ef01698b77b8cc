/** The ACM certificates of the listeners on a path: one DescribeCertificate each, a few at a time. */
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
      };
    }),
  );
  return Object.fromEntries(wanted.map((arn, index) => [arn, read[index] as Collected<CertificateFacts>]));
}
