import { createAccessService } from './access/service.js';
import type { CenterDeps } from './deps.js';
import { CenterError } from './errors.js';
import { createHealthService } from './health.js';
import type { Center } from './index.js';

export interface CenterOptions {
  /** How long a dashboard login lasts, ms. */
  sessionTtlMs?: number;
  /** Exceptions need an approver other than the requester (config `requireApproval`). */
  requireApproval?: boolean;
}

type Pending = Exclude<keyof Center, 'access' | 'health'>;
const PENDING: readonly Pending[] = [
  'reports',
  'inventory',
  'findings',
  'controlResults',
  'alerts',
  'recommendations',
  'score',
  'compliance',
  'exceptions',
  'packages',
  'images',
];

/**
 * The center's services over one store and clock. Services not in this build answer every call with
 * BULKHEAD_ERR_INTERNAL naming the service, so the API around them stays whole and says what is missing.
 */
export function createCenter(deps: CenterDeps, options: CenterOptions = {}): Center {
  const pending = Object.fromEntries(PENDING.map((name) => [name, unavailable(name)])) as unknown as Pick<
    Center,
    Pending
  >;
  return {
    ...pending,
    access: createAccessService(deps, options),
    health: createHealthService(deps),
  };
}

function unavailable(service: string): never {
  return new Proxy(
    {},
    {
      get: (_target, fn) => () =>
        Promise.reject(new CenterError('BULKHEAD_ERR_INTERNAL', `${service}.${String(fn)} is not available`)),
    },
  ) as never;
}
