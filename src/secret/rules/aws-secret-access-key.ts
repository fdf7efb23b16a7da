import type { SecretRule } from '../types.js';

/** An AWS secret access key: 40 base-64 characters assigned to an `aws_secret_access_key`-like name. */
export const awsSecretAccessKey = {
  id: 'aws-secret-access-key',
  title: 'AWS secret access key',
  severity: 'CRITICAL',
  // every spelling the pattern takes: aws_secret_access_key, awsSecretKey, aws_access_key, aws_key…
  keywords: ['aws_sec', 'awssec', 'aws_access', 'awsaccess', 'aws_key', 'awskey'],
  lowerCase: true,
  pattern: String.raw`["']?aws_?(?:sec(?:ret)?)?_?(?:access)?_?key["']?\s*(?::|=>|=)\s*["']?(?P<secret>[A-Za-z0-9/+=]{40})["']?(?:[^A-Za-z0-9/+=]|\z)`,
} as const satisfies SecretRule;
