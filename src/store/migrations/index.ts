import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_resources.js';
import * as m0003 from './0003_advisories.js';
import * as m0004 from './0004_alerts.js';
import * as m0005 from './0005_admission_decisions.js';
import * as m0006 from './0006_audit_log.js';
import * as m0007 from './0007_center.js';
import * as m0008 from './0008_center_read_indexes.js';
import * as m0009 from './0009_access.js';
import * as m0010 from './0010_center_write_indexes.js';
import * as m0011 from './0011_findings_vuln_index.js';
import * as m0012 from './0012_center_result_text.js';
import * as m0013 from './0013_exploit_signals.js';
import * as m0014 from './0014_center_package_lookup.js';
import * as m0015 from './0015_center_report_body_deflated.js';

/** Every migration, in order. Adding one = one file + one line here. Names are frozen once released. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': m0001,
  '0002_resources': m0002,
  '0003_advisories': m0003,
  '0004_alerts': m0004,
  '0005_admission_decisions': m0005,
  '0006_audit_log': m0006,
  '0007_center': m0007,
  '0008_center_read_indexes': m0008,
  '0009_access': m0009,
  '0010_center_write_indexes': m0010,
  '0011_findings_vuln_index': m0011,
  '0012_center_result_text': m0012,
  '0013_exploit_signals': m0013,
  '0014_center_package_lookup': m0014,
  '0015_center_report_body_deflated': m0015,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};

export const LATEST_MIGRATION = Object.keys(migrations).at(-1)!;
