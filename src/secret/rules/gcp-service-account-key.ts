import type { SecretRule } from '../types.js';

/** A Google Cloud service account key file (JSON): `"type": "service_account"` with its `private_key`. */
export const gcpServiceAccountKey = {
  id: 'gcp-service-account-key',
  title: 'Google Cloud service account key',
  severity: 'CRITICAL',
  keywords: ['service_account'],
  reach: 8192,
  pattern: String.raw`(?s)"type"\s*:\s*"service_account".{0,1000}?"private_key"\s*:\s*"(?P<secret>-----BEGIN[^"]{64,})"`,
} as const satisfies SecretRule;
