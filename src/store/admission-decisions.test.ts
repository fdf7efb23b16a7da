import { afterEach, describe, expect, it } from 'vitest';
import {
  type AdmissionDecisionRecord,
  countAdmissionDecisions,
  listAdmissionDecisions,
  saveAdmissionDecisions,
} from './admission-decisions.js';
import { DIALECTS, freshDatabase, type TestDatabase } from './test-support/dialects.js';

const denied: AdmissionDecisionRecord = {
  uid: 'u-1',
  decidedAt: '2026-01-01T00:00:01.000Z',
  operation: 'CREATE',
  kind: 'v1/Pod',
  namespace: 'apps',
  name: 'priv',
  username: 'alice',
  allowed: false,
  action: 'deny',
  violations: [{ control: 'K8S-POD-01', severity: 'CRITICAL', message: 'privileged', action: 'deny' }],
};
const exempt: AdmissionDecisionRecord = {
  uid: 'u-2',
  decidedAt: '2026-01-01T00:00:02.000Z',
  operation: 'DELETE',
  allowed: true,
  action: 'allow',
  skipped: 'namespace kube-system is exempt',
  violations: [],
};

describe.each(DIALECTS)('admission decisions on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('stores a batch and reads it back newest first, filtered and counted by action', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    await saveAdmissionDecisions(store.db, [denied, exempt]);
    await saveAdmissionDecisions(store.db, []);
    expect(await listAdmissionDecisions(store.db)).toEqual([exempt, denied]);
    expect(await listAdmissionDecisions(store.db, { action: 'deny' })).toEqual([denied]);
    expect(await listAdmissionDecisions(store.db, { since: '2026-01-01T00:00:02.000Z' })).toEqual([exempt]);
    expect(await countAdmissionDecisions(store.db)).toEqual({ allow: 1, deny: 1 });
    await store.close();
  });
});
