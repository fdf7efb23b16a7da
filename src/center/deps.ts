import type { Store } from '../store/index.js';

/** What every center service is given. Tests pass a real store on either dialect and a fixed clock. */
export interface CenterDeps {
  store: Store;
  /** The time now; injectable so tests can move it (exception expiry, daily snapshots). */
  clock: () => Date;
}
