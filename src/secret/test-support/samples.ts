import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';

/**
 * Credentials in their real formats, built when the tests run (random or derived, never live): nothing that looks
 * like a credential is written into the repository.
 */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `n` characters of `alphabet`, derived from `seed` (the same seed gives the same text). */
export function derived(seed: string, n: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; out.length < n; i++)
    for (const byte of createHash('sha256').update(`${seed}:${i}`).digest())
      if (out.length < n) out += alphabet[byte % alphabet.length];
  return out;
}

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = `${ALNUM}+/`;
const b64url = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A PEM private key of `type` in `format`, freshly generated. */
function pem(type: 'rsa' | 'ec', format: 'pkcs1' | 'sec1' | 'pkcs8'): string {
  const { privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 1024 })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ type: format, format: 'pem' }).toString();
}

/** An armoured block of `label` around `bytes` random-looking bytes, 70 characters a line. */
function armoured(label: string, seed: string, bytes: number, prelude = ''): string {
  const body = Buffer.from(derived(seed, bytes)).toString('base64');
  const lines = body.match(/.{1,70}/g)!.join('\n');
  return `-----BEGIN ${label}-----\n${prelude}${lines}\n-----END ${label}-----\n`;
}

export function jwtSample(): string {
  const head = b64url({ alg: 'HS256', typ: 'JWT' });
  const body = b64url({ sub: 'svc-reports', iat: 1700000000 });
  const sig = createHmac('sha256', derived('jwt-key', 32)).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export const samples = {
  awsAccessKeyId: () => `AKIA${derived('aws-id', 16, UPPER_DIGITS)}`,
  awsSecret: () => derived('aws-secret', 40, BASE64),
  azureKey: () => `${derived('azure', 86, BASE64)}==`,
  rsaPkcs1: () => pem('rsa', 'pkcs1'),
  ecSec1: () => pem('ec', 'sec1'),
  pkcs8: () => pem('rsa', 'pkcs8'),
  openssh: () => armoured('OPENSSH PRIVATE KEY', 'openssh', 300),
  pgp: () => armoured('PGP PRIVATE KEY BLOCK', 'pgp', 300, 'Version: GnuPG v2\n\n'),
  gcpServiceAccount: () =>
    JSON.stringify(
      {
        type: 'service_account',
        project_id: 'reports-prod',
        private_key_id: derived('gcp-id', 40, '0123456789abcdef'),
        private_key: pem('rsa', 'pkcs8'),
        client_email: 'reports@reports-prod.iam.gserviceaccount.com',
        client_id: '104729384756102938475',
      },
      null,
      2,
    ),
  githubToken: () => `ghp_${derived('github', 36)}`,
  githubFineGrained: () => `github_pat_${derived('gh-fg-1', 22)}_${derived('gh-fg-2', 59)}`,
  gitlabToken: () => `glpat-${derived('gitlab', 20)}`,
  slackToken: () =>
    `xoxb-${derived('slack-1', 12, '0123456789')}-${derived('slack-2', 13, '0123456789')}-${derived('slack-3', 24)}`,
  stripeKey: () => `sk_live_${derived('stripe', 24)}`,
  npmToken: () => `npm_${derived('npm', 36)}`,
  pypiToken: () => `pypi-AgEIcHlwaS5vcmc${derived('pypi', 120, `${ALNUM}-_`)}`,
  jwt: jwtSample,
  dbPassword: () => derived('db-password', 18),
};
