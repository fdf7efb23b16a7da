/**
 * The life of findings and control results (docs/center.md): a report about a resource replaces what the same
 * engine said of it before. New results open (first seen now), present ones keep their first sighting and are
 * seen again, absent ones resolve, a resolved one that comes back re-opens. Pure decisions here; the writes are
 * grouped so that a re-push of 300 unchanged findings is one UPDATE, not 300.
 */

export type Outcome = 'open' | 'pass' | 'suppressed';

export interface IncomingResult<Row> {
  key: string;
  resourceKey: string;
  outcome: Outcome;
  /** Ids an exception target may name (vulnerability id and aliases, control id, rule). */
  targets: readonly string[];
  /** The content as stored in `data`; a difference rewrites the row. */
  data: string;
  /** Content columns, without the life columns. */
  row: Row;
}

export interface ExistingResult {
  id: number;
  result_key: string;
  resource_key: string;
  state: string;
  first_seen: string;
  resolved_at: string | null;
  exception_id: number | null;
  data: string;
}

export interface LifeColumns {
  state: string;
  exception_id: number | null;
  first_seen: string;
  resolved_at: string | null;
}

export type LifePatch = Partial<LifeColumns & { report_id: number; last_seen: string }>;

export interface LifeWriter<Row> {
  insert(rows: (Row & LifeColumns & { report_id: number; last_seen: string })[]): Promise<void>;
  /** The same life change on these rows; with `row`, one row's content rewritten too. */
  update(ids: number[], patch: LifePatch, row?: Row): Promise<void>;
}

export interface LifeContext {
  now: string;
  reportId: number;
  /** The active exception covering a newly open result, if any. */
  exceptionFor(resourceKey: string, targets: readonly string[]): number | null;
}

export interface LifeSummary {
  new: number;
  reopened: number;
  resolved: number;
  excepted: number;
  seen: number;
  /** Resources whose open results changed. */
  changed: Set<string>;
}

/** Decide and write the new life of every result of the assessed resources. */
export async function replaceResults<Row>(
  existing: readonly ExistingResult[],
  incoming: readonly IncomingResult<Row>[],
  writer: LifeWriter<Row>,
  ctx: LifeContext,
): Promise<LifeSummary> {
  const summary: LifeSummary = { new: 0, reopened: 0, resolved: 0, excepted: 0, seen: 0, changed: new Set() };
  const before = new Map(existing.map((e) => [e.result_key, e]));
  const inserts: (Row & LifeColumns & { report_id: number; last_seen: string })[] = [];
  // rows needing the same change share one UPDATE; `seen` rows also get this report's last sighting
  const groups = new Map<string, { patch: Partial<LifeColumns>; seen: boolean; ids: number[] }>();
  const group = (patch: Partial<LifeColumns>, seen: boolean, id: number) => {
    const key = JSON.stringify([patch, seen]);
    const g = groups.get(key) ?? { patch, seen, ids: [] };
    g.ids.push(id);
    groups.set(key, g);
  };
  const present = new Set<string>();

  for (const r of incoming) {
    if (present.has(r.key)) continue;
    present.add(r.key);
    const prev = before.get(r.key);
    const life = nextLife(prev, r, ctx, summary);
    if (!prev) {
      // Object.assign, not a spread: V8 adds the life columns to a spread copy of a wide row one slow
      // transition at a time (about 25 µs a row, 7 ms for a 300-finding report; Object.assign takes 3 µs)
      inserts.push(Object.assign({}, r.row, life, { report_id: ctx.reportId, last_seen: ctx.now }));
      if (life.state === 'open') summary.changed.add(r.resourceKey);
      continue;
    }
    const patch = lifeDiff(prev, life);
    if (patch.state !== undefined) summary.changed.add(r.resourceKey);
    if (r.data !== prev.data)
      await writer.update([prev.id], { ...patch, report_id: ctx.reportId, last_seen: ctx.now }, r.row);
    else group(patch, true, prev.id);
  }
  for (const prev of existing) {
    if (present.has(prev.result_key) || prev.state === 'resolved') continue;
    if (prev.state === 'open' || prev.state === 'excepted') summary.resolved += 1;
    summary.changed.add(prev.resource_key);
    group({ state: 'resolved', exception_id: null, resolved_at: ctx.now }, false, prev.id);
  }

  await writer.insert(inserts);
  for (const { patch, seen, ids } of groups.values()) {
    const full = { ...patch, ...(seen ? { report_id: ctx.reportId, last_seen: ctx.now } : {}) };
    if (Object.keys(full).length > 0) await writer.update(ids, full);
  }
  return summary;
}

function nextLife(
  prev: ExistingResult | undefined,
  r: IncomingResult<unknown>,
  ctx: LifeContext,
  summary: LifeSummary,
): LifeColumns {
  // a failure that comes back keeps its first sighting; one that had only ever passed starts now
  const firstSeen = prev && prev.state !== 'passed' ? prev.first_seen : ctx.now;
  if (r.outcome === 'open') {
    if (prev && (prev.state === 'open' || (prev.state === 'excepted' && prev.exception_id !== null))) {
      summary.seen += 1;
      return {
        state: prev.state,
        exception_id: prev.exception_id,
        first_seen: prev.first_seen,
        resolved_at: null,
      };
    }
    const exception = ctx.exceptionFor(r.resourceKey, r.targets);
    if (exception !== null) summary.excepted += 1;
    if (prev?.state === 'resolved') summary.reopened += 1;
    else if (prev) summary.seen += 1;
    else summary.new += 1;
    return {
      state: exception === null ? 'open' : 'excepted',
      exception_id: exception,
      first_seen: firstSeen,
      resolved_at: null,
    };
  }
  if (r.outcome === 'suppressed') {
    if (prev) summary.seen += 1;
    else summary.new += 1;
    return { state: 'excepted', exception_id: null, first_seen: firstSeen, resolved_at: null };
  }
  if (prev && (prev.state === 'open' || prev.state === 'excepted')) {
    summary.resolved += 1;
    return { state: 'resolved', exception_id: null, first_seen: prev.first_seen, resolved_at: ctx.now };
  }
  if (prev) summary.seen += 1;
  if (prev?.state === 'resolved')
    return {
      state: 'resolved',
      exception_id: null,
      first_seen: prev.first_seen,
      resolved_at: prev.resolved_at,
    };
  return { state: 'passed', exception_id: null, first_seen: prev?.first_seen ?? ctx.now, resolved_at: null };
}

function lifeDiff(prev: ExistingResult, life: LifeColumns): Partial<LifeColumns> {
  const patch: Partial<LifeColumns> = {};
  if (life.state !== prev.state) patch.state = life.state;
  if (life.exception_id !== prev.exception_id) patch.exception_id = life.exception_id;
  if (life.first_seen !== prev.first_seen) patch.first_seen = life.first_seen;
  if (life.resolved_at !== prev.resolved_at) patch.resolved_at = life.resolved_at;
  return patch;
}
