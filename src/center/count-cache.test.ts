import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { createRecommendationService } from './recommendations/service.js';
import { createFindingQueries } from './results/service.js';
import { createScoreService } from './score/service.js';
import { seedControlResult, seedFinding, seedResource } from './test-support/factories.js';

describe.each(DIALECTS)('list totals on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('are never stale: a write by this connection or by another process changes the next total', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const other = await database.open();
    try {
      const findings = createFindingQueries({ store, clock: () => new Date() });
      await seedFinding(store, { resource: 'image:x', vuln: 'CVE-1' });
      expect((await findings.list({ severity: 'HIGH' })).total).toBe(1);
      expect((await findings.list({ severity: 'HIGH' })).total).toBe(1);
      await seedFinding(store, { resource: 'image:x', vuln: 'CVE-2' });
      expect((await findings.list({ severity: 'HIGH' })).total).toBe(2);
      // Another connection (as a CLI command writing the same SQLite file) is seen too.
      await seedFinding(other, { resource: 'image:y', vuln: 'CVE-3' });
      expect((await findings.list({ severity: 'HIGH' })).total).toBe(3);
      await other.db
        .updateTable('center_findings')
        .set({ state: 'resolved' })
        .where('vuln_id', '=', 'CVE-3')
        .execute();
      expect((await findings.list({ severity: 'HIGH', state: 'open' })).total).toBe(2);

      // Recommendations and the score are derived from one kept assessment: it follows writes the same way.
      const deps = { store, clock: () => new Date() };
      const score = createScoreService(deps);
      const recs = createRecommendationService(deps);
      expect((await score.get()).percentage).toBeNull();
      await seedResource(other, { key: 'container:h/c' });
      await seedControlResult(other, {
        resource: 'container:h/c',
        engine: 'docker-benchmark',
        control: '5.5',
        status: 'fail',
      });
      expect((await recs.get('CIS-DOCKER-5.5')).unhealthy).toBe(1);
      expect((await score.get()).percentage).toBe(0);
      await other.db.updateTable('center_control_results').set({ state: 'resolved' }).execute();
      expect((await recs.list({ active: true })).total).toBe(0);
      expect((await score.get()).percentage).toBe(100);
    } finally {
      await other.close();
      await store.close();
    }
  });
});
