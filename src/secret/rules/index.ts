import type { SecretRule } from '../types.js';
import { awsAccessKeyId } from './aws-access-key-id.js';
import { awsSecretAccessKey } from './aws-secret-access-key.js';
import { azureStorageAccountKey } from './azure-storage-account-key.js';
import { databaseUrlPassword } from './database-url-password.js';
import { gcpServiceAccountKey } from './gcp-service-account-key.js';
import { githubFineGrainedToken } from './github-fine-grained-token.js';
import { githubToken } from './github-token.js';
import { gitlabToken } from './gitlab-token.js';
import { jwt } from './jwt.js';
import { npmAccessToken } from './npm-access-token.js';
import { passwordAssignment } from './password-assignment.js';
import { privateKey } from './private-key.js';
import { pypiUploadToken } from './pypi-upload-token.js';
import { slackToken } from './slack-token.js';
import { stripeSecretKey } from './stripe-secret-key.js';

/** The secret rules, one file each (adding one = one file + one line here). */
export const SECRET_RULES: readonly SecretRule[] = [
  awsAccessKeyId,
  awsSecretAccessKey,
  azureStorageAccountKey,
  databaseUrlPassword,
  gcpServiceAccountKey,
  githubFineGrainedToken,
  githubToken,
  gitlabToken,
  jwt,
  npmAccessToken,
  passwordAssignment,
  privateKey,
  pypiUploadToken,
  slackToken,
  stripeSecretKey,
];
