import type { Kysely } from 'kysely';
import { withId } from './id-column.js';

/**
 * The center's view (CENTER.md): the inventory of the three resource families and the life of every result
 * (firstSeen, lastSeen, resolvedAt, state). The engines' per-scan tables stay as they are; these tables are what a
 * report pushed to the center changes. Keys and states are described in docs/center.md.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('center_resources')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_key', 'text')
    .addColumn('image_key', 'text')
    .addColumn('image_ref', 'text')
    .addColumn('health', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('assessed_at', 'text')
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .execute();
  await db.schema
    .createIndex('center_resources_parent')
    .on('center_resources')
    .column('parent_key')
    .execute();
  await db.schema
    .createIndex('center_resources_family_health')
    .on('center_resources')
    .columns(['family', 'health'])
    .execute();
  await db.schema.createIndex('center_resources_image').on('center_resources').column('image_key').execute();
  await db.schema
    .createIndex('center_resources_image_ref')
    .on('center_resources')
    .column('image_ref')
    .execute();

  await withId(db, db.schema.createTable('center_reports'))
    .addColumn('digest', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('engine', 'text', (c) => c.notNull())
    .addColumn('scope_key', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('center_findings'))
    .addColumn('result_key', 'text', (c) => c.notNull().unique())
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('vuln_id', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('package_name', 'text', (c) => c.notNull())
    .addColumn('package_version', 'text', (c) => c.notNull())
    .addColumn('package_type', 'text', (c) => c.notNull())
    .addColumn('purl', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('severity_rank', 'integer', (c) => c.notNull())
    .addColumn('fixed_version', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('exception_id', 'integer')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('report_id', 'integer', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema
    .createIndex('center_findings_resource')
    .on('center_findings')
    .columns(['resource_key', 'state'])
    .execute();
  await db.schema
    .createIndex('center_findings_state_severity')
    .on('center_findings')
    .columns(['state', 'severity_rank', 'id'])
    .execute();
  await db.schema.createIndex('center_findings_vuln').on('center_findings').column('vuln_id').execute();
  await db.schema
    .createIndex('center_findings_package')
    .on('center_findings')
    .column('package_name')
    .execute();

  await withId(db, db.schema.createTable('center_control_results'))
    .addColumn('result_key', 'text', (c) => c.notNull().unique())
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('engine', 'text', (c) => c.notNull())
    .addColumn('control', 'text', (c) => c.notNull())
    .addColumn('control_version', 'integer', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('severity_rank', 'integer', (c) => c.notNull())
    .addColumn('standards', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('exception_id', 'integer')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('report_id', 'integer', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema
    .createIndex('center_control_results_resource')
    .on('center_control_results')
    .columns(['resource_key', 'engine', 'state'])
    .execute();
  await db.schema
    .createIndex('center_control_results_control')
    .on('center_control_results')
    .columns(['control', 'state'])
    .execute();
  await db.schema
    .createIndex('center_control_results_state_severity')
    .on('center_control_results')
    .columns(['state', 'severity_rank', 'id'])
    .execute();

  await withId(db, db.schema.createTable('center_alerts'))
    .addColumn('alert_key', 'text', (c) => c.notNull().unique())
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('severity_rank', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('reason', 'text')
    .addColumn('exception_id', 'integer')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('report_id', 'integer', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('center_alerts_resource')
    .on('center_alerts')
    .columns(['resource_key', 'state'])
    .execute();
  await db.schema
    .createIndex('center_alerts_state_severity')
    .on('center_alerts')
    .columns(['state', 'severity_rank', 'id'])
    .execute();

  await withId(db, db.schema.createTable('center_packages'))
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('purl', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('center_packages_name')
    .on('center_packages')
    .columns(['name', 'version'])
    .execute();
  await db.schema.createIndex('center_packages_purl').on('center_packages').column('purl').execute();
  await db.schema
    .createIndex('center_packages_resource')
    .on('center_packages')
    .column('resource_key')
    .execute();

  await withId(db, db.schema.createTable('center_exceptions'))
    .addColumn('targets', 'text', (c) => c.notNull())
    .addColumn('selector', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('center_score_snapshots')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('percentage', 'real')
    .addColumn('controls', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'center_score_snapshots',
    'center_exceptions',
    'center_packages',
    'center_alerts',
    'center_control_results',
    'center_findings',
    'center_reports',
    'center_resources',
  ])
    await db.schema.dropTable(table).execute();
}
