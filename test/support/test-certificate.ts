/**
 * A self-signed certificate valid between two dates, made with the `cryptography` package of the
 * emulator's Python environment (Node cannot issue X.509 certificates), and imported into the
 * emulator's ACM, which reads NotAfter from it as ACM does.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ImportCertificateCommand } from '@aws-sdk/client-acm';
import type { AwsClients } from '../../lambda/collect/clients';

const PYTHON = join(__dirname, '..', '..', '.venv', 'bin', 'python');

const MAKE_CERTIFICATE = `
import datetime, json, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
name, not_before, not_after = sys.argv[1], sys.argv[2], sys.argv[3]
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
parse = lambda text: datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
  .public_key(key.public_key()).serial_number(x509.random_serial_number())
  .not_valid_before(parse(not_before)).not_valid_after(parse(not_after))
  .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
  .sign(key, hashes.SHA256()))
print(json.dumps({
  'certificate': certificate.public_bytes(serialization.Encoding.PEM).decode(),
  'key': key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                           serialization.NoEncryption()).decode(),
}))
`;

/** Imports a certificate for `domain` valid from `notBefore` to `notAfter` (ISO); returns its ARN. */
export async function importTestCertificate(
  clients: AwsClients,
  domain: string,
  notBefore: string,
  notAfter: string,
): Promise<string> {
  const made = JSON.parse(
    execFileSync(PYTHON, ['-c', MAKE_CERTIFICATE, domain, notBefore, notAfter], { encoding: 'utf8' }),
  ) as { certificate: string; key: string };
  const imported = await clients.acm.send(
    new ImportCertificateCommand({
      Certificate: Buffer.from(made.certificate),
      PrivateKey: Buffer.from(made.key),
    }),
  );
  if (!imported.CertificateArn) throw new Error('test setup: the emulator returned no certificate ARN');
  return imported.CertificateArn;
}
