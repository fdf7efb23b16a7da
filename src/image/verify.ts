import { createHash } from 'node:crypto';
import { UserInputError } from '../core/errors.js';

/** Throw unless `data` hashes to `digest` (sha256/sha512; other algorithms are refused). */
export function verifyDigest(what: string, digest: string, data: Buffer): void {
  const [alg, hex] = digest.split(':');
  if (alg !== 'sha256' && alg !== 'sha512')
    throw new UserInputError(what, `unsupported digest algorithm ${alg}`);
  const got = createHash(alg).update(data).digest('hex');
  if (got !== hex) throw new UserInputError(what, `digest mismatch: expected ${digest}, got ${alg}:${got}`);
}
