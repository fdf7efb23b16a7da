import type { SecretRule } from '../types.js';

/** A PEM or armoured private key: RSA, EC, DSA, OpenSSH, PKCS#8 (plain or encrypted) and PGP private key blocks. */
export const privateKey = {
  id: 'private-key',
  title: 'Private key',
  severity: 'HIGH',
  keywords: ['private key'],
  // a 8192-bit RSA key is some 6,400 characters of base 64
  reach: 16384,
  pattern: String.raw`-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----\s*(?P<secret>[A-Za-z0-9+/=][A-Za-z0-9+/=:,.()\- \t\r\n]{31,}?)\s*-----END (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----`,
} as const satisfies SecretRule;
