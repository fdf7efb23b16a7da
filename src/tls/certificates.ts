import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface WebhookCertificates {
  /** PEM of the CA certificate: the webhook configuration's caBundle is its base64. */
  caCert: string;
  /** PEM certificate of the webhook server, signed by the CA, naming the Service's DNS names. */
  cert: string;
  /** PEM private key of the webhook server. */
  key: string;
  notAfter: Date;
}

/** RSA keys from node's crypto (native, fast); node-forge only builds and signs the certificates. */
function rsaKeys(): {
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
  pem: string;
} {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem };
}

/** A certificate for `publicKey` valid from `notBefore` to `notAfter`, with a positive random 16-byte serial. */
function newCertificate(
  publicKey: forge.pki.PublicKey,
  notBefore: Date,
  notAfter: Date,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.publicKey = publicKey;
  return cert;
}

/**
 * A private CA and a server certificate for the webhook (RSA 2048, SHA-256), generated in process: the server
 * certificate names each of `dnsNames` (and `ipAddresses`) and is valid for `days`.
 * @example webhookCertificates(['bulkhead-admission.bulkhead-system.svc'])
 */
export function webhookCertificates(
  dnsNames: readonly string[],
  options: { ipAddresses?: readonly string[]; days?: number; now?: Date } = {},
): WebhookCertificates {
  const notBefore = new Date((options.now ?? new Date()).getTime() - 5 * 60_000);
  const notAfter = new Date(notBefore.getTime() + (options.days ?? 365) * 86_400_000);
  const caKeys = rsaKeys();
  const ca = newCertificate(caKeys.publicKey, notBefore, notAfter);
  const caName = [{ name: 'commonName', value: 'bulkhead-admission-ca' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const keys = rsaKeys();
  const cert = newCertificate(keys.publicKey, notBefore, notAfter);
  cert.setSubject([{ name: 'commonName', value: dnsNames[0] ?? 'bulkhead-admission' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...dnsNames.map((value) => ({ type: 2, value })),
        ...(options.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
      ],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());
  return {
    caCert: forge.pki.certificateToPem(ca),
    cert: forge.pki.certificateToPem(cert),
    key: keys.pem,
    notAfter,
  };
}
