import type { Kysely, Selectable, SelectQueryBuilder, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../open.js';
import type { Database } from '../schema.js';
import { type JsonMember, jsonObject } from './json-projection.js';
import { cursorColumns, type KeysetRequest, keysetCondition, orderColumn, pageLimit } from './keyset.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Read-only lists of the center's results (findings, control results, alerts). Filters are already parsed:
 * states and severity ranks are lists, `undefined` means "no filter". Each list has a `count*` twin with the
 * same filters, so `total` walks the same index as the page.
 */
export interface ResultFilters {
  states?: string[];
  severityRanks?: number[];
  resource?: string;
}

export interface FindingFilters extends ResultFilters {
  /** Vulnerability id or one of its aliases. */
  vulnerability?: string;
  /**
   * A package by name or by purl: the images holding it (the one package index, by `lookup`), then their findings
   * by `(resource_key, state, package_name)`; give `states` with it, every state for all, so each image is a seek.
   */
  package?: PackageFilter;
}

export interface PackageFilter {
  /** `packageLookup` of the name, or of the purl's name. */
  lookup: string;
  name?: string;
  purl?: string;
}

export interface ControlResultFilters extends ResultFilters {
  control?: string;
  engine?: string;
}

export interface AlertFilters extends ResultFilters {
  rule?: string;
}

/** `%` and `_` are wildcards of LIKE; ids rarely hold them, but a filter must match literally. */
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// biome-ignore lint/suspicious/noExplicitAny: the three result tables share these columns; the builder is generic over them.
type AnyQuery = SelectQueryBuilder<Database, any, any>;

/**
 * `narrow`: another filter picks few rows through its own index (resource, package, control). The severity test
 * is then written `+severity_rank` so SQLite does not prefer the severity index for its order and walk a
 * million rows to find a resource's twenty; in PostgreSQL the unary plus is a no-op on an integer.
 */
function common(q: AnyQuery, f: ResultFilters, narrow: boolean): AnyQuery {
  if (f.states?.length) q = q.where('state', 'in', f.states);
  const ranks = f.severityRanks;
  if (ranks?.length)
    q = narrow
      ? q.where(sql<boolean>`+severity_rank in (${sql.join(ranks)})`.$castTo<boolean>())
      : q.where('severity_rank', 'in', ranks);
  if (f.resource !== undefined) q = q.where('resource_key', '=', f.resource);
  return q;
}

function findingWhere(q: AnyQuery, f: FindingFilters): AnyQuery {
  q = common(q, f, findingNarrow(f));
  if (f.vulnerability !== undefined) {
    const quoted = `%${likeLiteral(JSON.stringify(f.vulnerability))}%`;
    const id = f.vulnerability;
    // Aliases are a JSON array in a text column in both dialects: a quoted LIKE is the one test that works on both.
    q = q.where((eb) =>
      eb.or([eb('vuln_id', '=', id), sql<boolean>`aliases like ${quoted} escape '\\'`.$castTo<boolean>()]),
    );
  }
  const p = f.package;
  if (p !== undefined) {
    // Through the index on (resource_key, state, package_name), image by image: the caller names the states.
    q = q.where((eb) => {
      let holders = eb.selectFrom('center_packages').select('resource_key').where('lookup', '=', p.lookup);
      if (p.name !== undefined) holders = holders.where('name', '=', p.name);
      if (p.purl !== undefined) holders = holders.where('purl', '=', p.purl);
      return eb('resource_key', 'in', holders);
    });
    if (p.name !== undefined) q = q.where('package_name', '=', p.name);
    if (p.purl !== undefined) q = q.where('purl', '=', p.purl);
  }
  return q;
}

function controlWhere(q: AnyQuery, f: ControlResultFilters): AnyQuery {
  q = common(q, f, controlNarrow(f));
  if (f.control !== undefined) q = q.where('control', '=', f.control);
  if (f.engine !== undefined) q = q.where('engine', '=', f.engine);
  return q;
}

function alertWhere(q: AnyQuery, f: AlertFilters): AnyQuery {
  q = common(q, f, alertNarrow(f));
  if (f.rule !== undefined) q = q.where('rule', '=', f.rule);
  return q;
}

const NUMERIC_COLUMNS = new Set(['severity_rank', 'id', 'count']);

function page(q: AnyQuery, req: KeysetRequest, narrow: boolean): AnyQuery {
  const order = { ...req.order, unindexed: narrow && NUMERIC_COLUMNS.has(req.order.column) };
  if (req.after) q = q.where(keysetCondition(order, req.after));
  const dir = order.desc ? 'desc' : 'asc';
  return q
    .orderBy(orderColumn(order, order.column), dir)
    .orderBy(orderColumn(order, order.tiebreak), dir)
    .limit(pageLimit(req.fetch));
}

const findingNarrow = (f: FindingFilters) => f.resource !== undefined || f.package !== undefined;
const controlNarrow = (f: ControlResultFilters) => f.resource !== undefined || f.control !== undefined;
const alertNarrow = (f: AlertFilters) => f.resource !== undefined;

async function count(q: AnyQuery): Promise<number> {
  const row = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export type FindingRow = Selectable<Database['center_findings']>;
export type ControlResultRow = Selectable<Database['center_control_results']>;
export type AlertRow = Selectable<Database['center_alerts']>;

/**
 * A list page reads every column but `data`, the whole result document: what a list shows has its own columns
 * (migration 0012), and reading the documents of fifty rows cost more than finding them.
 */
export type FindingListRow = Omit<FindingRow, 'data'>;
export type ControlResultListRow = Omit<ControlResultRow, 'data'>;
export type AlertListRow = Omit<AlertRow, 'data'>;

export const FINDING_LIST_COLUMNS = [
  'id',
  'result_key',
  'resource_key',
  'vuln_id',
  'aliases',
  'package_name',
  'package_version',
  'package_type',
  'purl',
  'severity',
  'severity_rank',
  'fixed_version',
  'status',
  'state',
  'exception_id',
  'title',
  'remediation',
  'report_id',
  'first_seen',
  'last_seen',
  'resolved_at',
] as const satisfies readonly (keyof FindingListRow)[];

export const CONTROL_RESULT_LIST_COLUMNS = [
  'id',
  'result_key',
  'resource_key',
  'engine',
  'control',
  'control_version',
  'subject',
  'status',
  'severity',
  'severity_rank',
  'standards',
  'state',
  'exception_id',
  'title',
  'message',
  'field',
  'remediation',
  'report_id',
  'first_seen',
  'last_seen',
  'resolved_at',
] as const satisfies readonly (keyof ControlResultListRow)[];

export const ALERT_LIST_COLUMNS = [
  'id',
  'alert_key',
  'resource_key',
  'rule',
  'severity',
  'severity_rank',
  'source',
  'count',
  'state',
  'assignee',
  'reason',
  'exception_id',
  'title',
  'tactic',
  'technique',
  'evidence',
  'report_id',
  'first_seen',
  'last_seen',
  'resolved_at',
  'updated_at',
] as const satisfies readonly (keyof AlertListRow)[];

export async function listFindings(db: Db, f: FindingFilters, req: KeysetRequest): Promise<FindingListRow[]> {
  const q = findingWhere(db.selectFrom('center_findings').select(FINDING_LIST_COLUMNS) as AnyQuery, f);
  return (await page(q, req, findingNarrow(f)).execute()) as FindingListRow[];
}

/**
 * A list row as the database wrote it: the item as JSON text, and the two columns the next cursor is made from
 * (the sort column and the id; the others are absent).
 */
export interface ResultJsonRow {
  id: number;
  severity_rank: number;
  first_seen: string;
  last_seen: string;
  json: string;
}

/** Only the cursor's columns beside the item: every extra column is a string per row made for nothing. */
function jsonSelect(
  q: AnyQuery,
  dialect: Dialect,
  req: KeysetRequest,
  item: readonly JsonMember[],
): AnyQuery {
  return q.select(cursorColumns(req.order)).select(jsonObject(dialect, item).as('json'));
}

/** The same page as listFindings, each row's item written by the database (json-projection.ts). */
export async function listFindingsJson(
  db: Db,
  dialect: Dialect,
  f: FindingFilters,
  req: KeysetRequest,
  item: readonly JsonMember[],
): Promise<ResultJsonRow[]> {
  const q = findingWhere(jsonSelect(db.selectFrom('center_findings') as AnyQuery, dialect, req, item), f);
  return (await page(q, req, findingNarrow(f)).execute()) as ResultJsonRow[];
}

export async function countFindings(db: Db, f: FindingFilters): Promise<number> {
  return count(findingWhere(db.selectFrom('center_findings') as AnyQuery, f));
}

export async function listControlResults(
  db: Db,
  f: ControlResultFilters,
  req: KeysetRequest,
): Promise<ControlResultListRow[]> {
  const q = controlWhere(
    db.selectFrom('center_control_results').select(CONTROL_RESULT_LIST_COLUMNS) as AnyQuery,
    f,
  );
  return (await page(q, req, controlNarrow(f)).execute()) as ControlResultListRow[];
}

export async function countControlResults(db: Db, f: ControlResultFilters): Promise<number> {
  return count(controlWhere(db.selectFrom('center_control_results') as AnyQuery, f));
}

export async function listAlerts(db: Db, f: AlertFilters, req: KeysetRequest): Promise<AlertListRow[]> {
  const q = alertWhere(db.selectFrom('center_alerts').select(ALERT_LIST_COLUMNS) as AnyQuery, f);
  return (await page(q, req, alertNarrow(f)).execute()) as AlertListRow[];
}

export interface AlertJsonRow extends ResultJsonRow {
  count: number;
}

/** The same page as listAlerts, each row's item written by the database (json-projection.ts). */
export async function listAlertsJson(
  db: Db,
  dialect: Dialect,
  f: AlertFilters,
  req: KeysetRequest,
  item: readonly JsonMember[],
): Promise<AlertJsonRow[]> {
  const q = alertWhere(jsonSelect(db.selectFrom('center_alerts') as AnyQuery, dialect, req, item), f);
  return (await page(q, req, alertNarrow(f)).execute()) as AlertJsonRow[];
}

export async function countAlerts(db: Db, f: AlertFilters): Promise<number> {
  return count(alertWhere(db.selectFrom('center_alerts') as AnyQuery, f));
}
