import type { Transaction } from 'kysely';
import { alertsByKey, insertAlerts, type NewCenterAlert, updateAlert } from '../../store/center-alerts.js';
import {
  controlResultsOf,
  insertControlResults,
  type NewCenterControlResult,
  resolveControlResultsOf,
  updateControlResults,
} from '../../store/center-control-results.js';
import {
  findingsOf,
  insertFindings,
  type NewCenterFinding,
  resolveFindingsOf,
  updateFindings,
} from '../../store/center-findings.js';
import {
  type CenterResourceRow,
  findImagesByRef,
  getResources,
  getResourcesWithAncestors,
  liveKeysWithPrefix,
  markRemoved,
  type NewCenterResource,
  upsertResources,
} from '../../store/center-resources.js';
import { fromJsonColumn, toJsonColumn } from '../../store/json-column.js';
import type { Database } from '../../store/schema.js';
import { type CompiledException, chainOf, firstCovering } from '../exceptions/match.js';
import { emptyCounts } from '../inventory/health.js';
import { type IncomingResult, type LifeSummary, replaceResults } from '../results/life.js';
import type { Engine, Family } from '../types.js';

/** What one report's kind hands to the filing: the transaction, the time, and where the changes are counted. */
export interface FilingContext {
  tx: Transaction<Database>;
  now: string;
  reportId: number;
  engine: Engine;
  /** Exceptions in force, lowest id first. */
  exceptions: readonly CompiledException[];
  /** Resources the report was filed under (the ingest answers their number). */
  filed: Set<string>;
  /** Resources whose health must be recomputed. */
  touched: Set<string>;
  summary: Record<string, number>;
}

export interface ResourceSpec {
  key: string;
  family: Family;
  type: string;
  name: string;
  parent: string | null;
  attributes?: Record<string, unknown>;
  /** Attributes that accumulate (an image's tags and repo digests) rather than being replaced. */
  union?: readonly string[];
  /** How the runtime names the image it runs (containers, pods, workloads), or an image's own config digest. */
  imageRef?: string | null;
  /** An engine looked at it in this report (true), or looked and could not tell (false: no longer assessed). */
  assessed?: boolean;
}

export function count(ctx: FilingContext, what: string, n: number): void {
  if (n !== 0) ctx.summary[what] = (ctx.summary[what] ?? 0) + n;
}

/**
 * Upsert the resources (parents before children in `specs` is not required). Attributes merge into what is
 * known; an image keeps the repository it was first seen in as its parent; a resource seen again is no longer
 * removed. A container, pod or workload is linked to its image when the image is known.
 */
export async function fileResources(ctx: FilingContext, specs: readonly ResourceSpec[]): Promise<void> {
  const merged = new Map<string, ResourceSpec>();
  for (const s of specs) {
    const prev = merged.get(s.key);
    merged.set(
      s.key,
      prev
        ? {
            ...prev,
            ...s,
            attributes: { ...prev.attributes, ...s.attributes },
            assessed: !!(prev.assessed || s.assessed),
          }
        : s,
    );
  }
  const list = [...merged.values()];
  const existing = new Map(
    (
      await getResources(
        ctx.tx,
        list.map((s) => s.key),
      )
    ).map((r) => [r.key, r]),
  );
  const refs = list.filter((s) => s.type !== 'image' && s.imageRef).map((s) => s.imageRef!);
  const images = new Map<string, string>();
  if (refs.length > 0)
    for (const img of await findImagesByRef(ctx.tx, refs)) {
      if (img.image_ref) images.set(img.image_ref, img.key);
      images.set(img.key.slice('image:'.length), img.key);
    }
  const rows: NewCenterResource[] = list.map((s) => {
    const prev = existing.get(s.key);
    const imageRef = s.imageRef ?? prev?.image_ref ?? null;
    const linked = s.type !== 'image' && imageRef ? (images.get(imageRef) ?? null) : null;
    return {
      key: s.key,
      family: s.family,
      type: s.type,
      name: s.name,
      parent_key: s.type === 'image' && prev?.parent_key ? prev.parent_key : s.parent,
      image_key: linked ?? (imageRef === prev?.image_ref ? (prev?.image_key ?? null) : null),
      image_ref: imageRef,
      health: prev?.health ?? 'not_assessed',
      counts: prev?.counts ?? JSON.stringify(emptyCounts()),
      attributes: toJsonColumn(mergeAttributes(prev, s)),
      assessed_at: s.assessed ? ctx.now : s.assessed === false ? null : (prev?.assessed_at ?? null),
      first_seen: prev?.first_seen ?? ctx.now,
      last_seen: ctx.now,
      removed_at: null,
    };
  });
  await upsertResources(ctx.tx, rows);
  for (const s of list) {
    ctx.filed.add(s.key);
    ctx.touched.add(s.key);
  }
  count(ctx, 'newResources', list.filter((s) => !existing.has(s.key)).length);
}

function mergeAttributes(prev: CenterResourceRow | undefined, spec: ResourceSpec): Record<string, unknown> {
  const old = fromJsonColumn<Record<string, unknown>>(prev?.attributes, {});
  const next: Record<string, unknown> = { ...old, ...spec.attributes };
  for (const key of spec.union ?? []) {
    const union = new Set([...asStrings(old[key]), ...asStrings(spec.attributes?.[key])]);
    if (union.size > 0) next[key] = [...union].sort();
  }
  return next;
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The exception covering a new open result on one of `keys` (loaded once per report; none in force → no query). */
async function exceptionMatcher(ctx: FilingContext, keys: readonly string[]) {
  if (ctx.exceptions.length === 0) return () => null;
  const rows = await getResourcesWithAncestors(ctx.tx, keys);
  const chains = new Map<string, ReturnType<typeof chainOf>>();
  return (resourceKey: string, targets: readonly string[]): number | null => {
    let chain = chains.get(resourceKey);
    if (!chain) {
      chain = chainOf(resourceKey, rows);
      chains.set(resourceKey, chain);
    }
    return firstCovering(ctx.exceptions, chain, targets);
  };
}

type FindingContent = Omit<
  NewCenterFinding,
  'state' | 'exception_id' | 'report_id' | 'first_seen' | 'last_seen' | 'resolved_at'
>;
type ControlContent = Omit<
  NewCenterControlResult,
  'state' | 'exception_id' | 'report_id' | 'first_seen' | 'last_seen' | 'resolved_at'
>;

function tally(ctx: FilingContext, life: LifeSummary): void {
  count(ctx, 'new', life.new);
  count(ctx, 'reopened', life.reopened);
  count(ctx, 'resolved', life.resolved);
  count(ctx, 'excepted', life.excepted);
  count(ctx, 'seen', life.seen);
  for (const k of life.changed) ctx.touched.add(k);
}

/** The findings of the assessed images become `incoming`: new open, present seen, absent resolved. */
export async function replaceFindings(
  ctx: FilingContext,
  assessed: readonly string[],
  incoming: readonly IncomingResult<FindingContent>[],
): Promise<void> {
  const existing = await findingsOf(ctx.tx, assessed);
  const life = await replaceResults(
    existing,
    incoming,
    {
      insert: (rows) => insertFindings(ctx.tx, rows),
      update: (ids, patch, row) => updateFindings(ctx.tx, ids, { ...row, ...patch }),
    },
    { now: ctx.now, reportId: ctx.reportId, exceptionFor: await exceptionMatcher(ctx, assessed) },
  );
  tally(ctx, life);
}

/** This engine's control results on the assessed resources become `incoming`. */
export async function replaceControlResults(
  ctx: FilingContext,
  assessed: readonly string[],
  incoming: readonly IncomingResult<ControlContent>[],
): Promise<void> {
  const existing = await controlResultsOf(ctx.tx, assessed, ctx.engine);
  const life = await replaceResults(
    existing,
    incoming,
    {
      insert: (rows) => insertControlResults(ctx.tx, rows),
      update: (ids, patch, row) => updateControlResults(ctx.tx, ids, { ...row, ...patch }),
    },
    { now: ctx.now, reportId: ctx.reportId, exceptionFor: await exceptionMatcher(ctx, assessed) },
  );
  tally(ctx, life);
}

export type AlertContent = Omit<
  NewCenterAlert,
  'state' | 'assignee' | 'reason' | 'exception_id' | 'report_id' | 'resolved_at' | 'updated_at'
>;

/**
 * File alerts by key (resource × rule × first seen). One pushed again keeps the larger count and the later last
 * sighting; alerts never resolve by absence.
 */
export async function fileAlerts(ctx: FilingContext, alerts: readonly AlertContent[]): Promise<void> {
  const byKey = new Map<string, AlertContent>();
  for (const a of alerts) {
    const prev = byKey.get(a.alert_key);
    byKey.set(a.alert_key, prev ? laterOf(prev, a) : a);
  }
  const existing = new Map((await alertsByKey(ctx.tx, [...byKey.keys()])).map((r) => [r.alert_key, r]));
  const matcher = await exceptionMatcher(ctx, [...new Set(alerts.map((a) => a.resource_key))]);
  const inserts: NewCenterAlert[] = [];
  for (const a of byKey.values()) {
    const prev = existing.get(a.alert_key);
    if (!prev) {
      const exception = matcher(a.resource_key, [a.rule]);
      inserts.push({
        ...a,
        state: exception === null ? 'new' : 'excepted',
        exception_id: exception,
        assignee: null,
        reason: null,
        report_id: ctx.reportId,
        resolved_at: null,
        updated_at: ctx.now,
      });
      ctx.touched.add(a.resource_key);
      continue;
    }
    const count_ = Math.max(prev.count, a.count);
    const later = a.last_seen > prev.last_seen;
    if (count_ === prev.count && !later) continue;
    await updateAlert(ctx.tx, prev.id, {
      count: count_,
      ...(later
        ? {
            last_seen: a.last_seen,
            data: a.data,
            title: a.title,
            tactic: a.tactic,
            technique: a.technique,
            evidence: a.evidence,
            report_id: ctx.reportId,
          }
        : {}),
      updated_at: ctx.now,
    });
    count(ctx, 'alertsUpdated', 1);
  }
  await insertAlerts(ctx.tx, inserts);
  count(ctx, 'alertsNew', inserts.length);
}

function laterOf(a: AlertContent, b: AlertContent): AlertContent {
  const later = b.last_seen > a.last_seen ? b : a;
  return { ...later, count: Math.max(a.count, b.count) };
}

/**
 * A complete report covered its whole scope: live resources under `prefixes` that it did not file are removed
 * and their findings and control results resolved (alerts stay as they are).
 */
export async function retireAbsent(ctx: FilingContext, prefixes: readonly string[]): Promise<void> {
  const absent = (await liveKeysWithPrefix(ctx.tx, prefixes)).filter((k) => !ctx.filed.has(k));
  if (absent.length === 0) return;
  const rows = await getResources(ctx.tx, absent);
  await markRemoved(ctx.tx, absent, ctx.now);
  const resolved =
    (await resolveFindingsOf(ctx.tx, absent, ctx.now)) +
    (await resolveControlResultsOf(ctx.tx, absent, ctx.now));
  count(ctx, 'removed', absent.length);
  count(ctx, 'resolved', resolved);
  for (const r of rows) {
    ctx.touched.add(r.key);
    if (r.parent_key) ctx.touched.add(r.parent_key);
  }
}
