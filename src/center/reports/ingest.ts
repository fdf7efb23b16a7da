import { describeShapeProblem, jsonShapeProblem } from '../../core/json-shape.js';
import { findReportByDigest, insertReport, setReportSummary } from '../../store/center-reports.js';
import { toJsonColumn } from '../../store/json-column.js';
import type { CenterDeps } from '../deps.js';
import { CenterError } from '../errors.js';
import { exceptionsInForce } from '../exceptions/apply.js';
import { recomputeHealth } from '../inventory/health.js';
import { can, type Principal } from '../principal.js';
import type { IngestResult } from '../types.js';
import { canonicalReport, deflateReport } from './canonical.js';
import type { FilingContext } from './filing.js';
import { invalidReport, type ReportKind } from './kind.js';

/** A document as received: already parsed, or JSON text. */
function parseBody(document: unknown): Record<string, unknown> {
  let value = document;
  if (typeof value === 'string' || value instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof value === 'string' ? value : Buffer.from(value).toString('utf8'));
    } catch {
      throw new CenterError('BULKHEAD_ERR_BODY_MALFORMED', 'report is not valid JSON');
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw invalidReport('(document)', 'a report is a JSON object');
  const shape = jsonShapeProblem(value, MAX_REPORT_DEPTH);
  if (shape) throw invalidReport(shape.path || '(document)', describeShapeProblem(shape, MAX_REPORT_DEPTH));
  return value as Record<string, unknown>;
}

/**
 * How deep a report may nest. The documents go about ten levels deep; the digest and the stored body walk the
 * document recursively, so a small body nested thousands deep would overflow the stack and answer 500 instead of
 * being refused.
 */
const MAX_REPORT_DEPTH = 64;

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(document)';
}

/**
 * File one document (POST /api/v1/reports). Checks, in order: JSON object, known kind, the kind's schema (the
 * first bad field is named), the scope (an agent's token may only report about its own), then the body digest:
 * a document received before is answered as it was, changing nothing. Otherwise one transaction stores the report
 * whole, files it, applies the exceptions in force to what opened and recomputes health; a failure anywhere
 * leaves nothing of it.
 */
export async function ingestReport(
  deps: CenterDeps,
  kinds: readonly ReportKind<unknown>[],
  principal: Principal,
  document: unknown,
): Promise<IngestResult> {
  if (!can(principal, 'push'))
    throw new CenterError('BULKHEAD_ERR_FORBIDDEN', 'this principal may not push reports');
  const body = parseBody(document);
  const kindName = body.kind;
  const kind = kinds.find((k) => k.kind === kindName);
  if (!kind)
    throw new CenterError(
      'BULKHEAD_ERR_REPORT_KIND_UNKNOWN',
      typeof kindName === 'string'
        ? `report kind "${kindName}" is not one the center files (${kinds.map((k) => k.kind).join(', ')})`
        : 'report has no kind',
    );
  if (body.schemaVersion !== 1) throw invalidReport('schemaVersion', 'must be 1');
  const parsed = kind.schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidReport(pathText(issue.path), issue.message);
  }
  const doc = parsed.data;
  const scope = kind.scope(doc);
  if (principal.role === 'agent' && principal.scope !== undefined && principal.scope !== scope)
    throw new CenterError(
      'BULKHEAD_ERR_SCOPE_FORBIDDEN',
      `this token may only report about ${principal.scope}, not ${scope}`,
    );

  // the body is stored as its canonical text: one serialisation gives both the stored body and its digest
  const { text, digest } = canonicalReport(body);
  const known = await findReportByDigest(deps.store.db, digest);
  if (known) return duplicateOf(known);
  // compressed on libuv's thread pool while this thread files the report; stored with the summary
  const bodyDeflated = deflateReport(text);
  bodyDeflated.catch(() => {});

  const now = deps.clock();
  try {
    return await deps.store.db.transaction().execute(async (tx) => {
      const engine = kind.engine(doc);
      const reportId = await insertReport(tx, {
        digest,
        kind: kind.kind,
        engine,
        scope_key: scope,
        received_at: now.toISOString(),
        principal: toJsonColumn({ kind: principal.kind, id: principal.id, name: principal.name }),
        summary: '{}',
        // written with the summary, once (see setReportSummary)
        body: '',
      });
      const ctx: FilingContext = {
        tx,
        now: now.toISOString(),
        reportId,
        engine,
        exceptions: await exceptionsInForce(tx, now),
        filed: new Set(),
        touched: new Set(),
        summary: {},
      };
      await kind.apply(doc, ctx);
      await recomputeHealth(tx, ctx.touched);
      await setReportSummary(
        tx,
        reportId,
        toJsonColumn({ resources: ctx.filed.size, ...ctx.summary }),
        await bodyDeflated,
      );
      return { id: reportId, kind: kind.kind, resources: ctx.filed.size, duplicate: false };
    });
  } catch (error) {
    // the same document pushed twice at once: the second insert loses on the digest's unique index
    const raced = await findReportByDigest(deps.store.db, digest).catch(() => undefined);
    if (raced) return duplicateOf(raced);
    throw error;
  }
}

function duplicateOf(row: { id: number; kind: string; summary: string }): IngestResult {
  const summary = JSON.parse(row.summary) as { resources?: number };
  return { id: Number(row.id), kind: row.kind, resources: summary.resources ?? 0, duplicate: true };
}
