import type { SecretRule } from '../types.js';

/** An Azure storage account key (88 base-64 characters), as a connection string's `AccountKey=` gives it. */
export const azureStorageAccountKey = {
  id: 'azure-storage-account-key',
  title: 'Azure storage account key',
  severity: 'CRITICAL',
  keywords: ['accountkey'],
  pattern: String.raw`(?i)AccountKey\s*=\s*(?P<secret>[A-Za-z0-9+/]{86}==)`,
} as const satisfies SecretRule;
