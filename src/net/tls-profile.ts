import { readFileSync } from 'node:fs';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { errorMessage, UserInputError } from '../core/errors.js';

/**
 * The one TLS profile of every server Bulkhead runs (center, admission webhook, run-time receiver): TLS 1.2 or
 * later, TLS 1.3 negotiated whenever the client has it, and on TLS 1.2 only forward-secret (ECDHE) AEAD suites —
 * no static-RSA key exchange, no CBC, no SHA-1 MACs. A handshake must finish within 10 s.
 */
export const TLS_PROFILE = {
  minVersion: 'TLSv1.2',
  ciphers: [
    'TLS_AES_128_GCM_SHA256',
    'TLS_AES_256_GCM_SHA384',
    'TLS_CHACHA20_POLY1305_SHA256',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
  ].join(':'),
  honorCipherOrder: true,
  handshakeTimeout: 10_000,
} as const satisfies TlsOptions;

/** The certificate and key files a server was given. */
export interface TlsFiles {
  cert: string;
  key: string;
}

/**
 * Whether a server speaks TLS, decided in one place for all of them: both files given → TLS; neither → plain
 * HTTP; one without the other is a usage error (a server that got a certificate but no key once fell back to
 * plain HTTP, sending bearer tokens in clear).
 */
export function tlsFiles(
  cert: string | undefined,
  key: string | undefined,
  flags: { cert: string; key: string } = { cert: '--tls-cert', key: '--tls-key' },
): TlsFiles | undefined {
  if (cert && key) return { cert, key };
  if (cert)
    throw new UserInputError(
      flags.cert,
      `given without ${flags.key}: TLS needs both the certificate and its key`,
    );
  if (key)
    throw new UserInputError(
      flags.key,
      `given without ${flags.cert}: TLS needs both the certificate and its key`,
    );
  return undefined;
}

/** The PEM bytes of `files`; a missing or unreadable file is a usage error naming it. */
export function readTlsFiles(files: TlsFiles): { cert: Buffer; key: Buffer } {
  const read = (file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UserInputError(file, code === 'ENOENT' ? 'no such file' : errorMessage(error));
    }
  };
  return { cert: read(files.cert), key: read(files.key) };
}

/** Options for `https.createServer` (and Fastify's `https`): the profile, the PEM pair and any extras. */
export function httpsServerOptions(
  pem: { cert: string | Buffer; key: string | Buffer },
  extra: SecureContextOptions & TlsOptions = {},
): TlsOptions {
  return { ...TLS_PROFILE, ...pem, ...extra };
}
