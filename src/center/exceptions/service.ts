import type { Transaction } from 'kysely';
import { parseExpiry } from '../../core/exceptions.js';
import { appendAudit } from '../../store/audit-log.js';
import { countExceptedAlerts } from '../../store/center-alerts.js';
import { countExceptedControlResults } from '../../store/center-control-results.js';
import {
  type CenterExceptionRow,
  countExceptions,
  exceptionsIn,
  getException,
  insertException,
  listExceptions,
  updateException,
} from '../../store/center-exceptions.js';
import { countExceptedFindings } from '../../store/center-findings.js';
import { toJsonColumn } from '../../store/json-column.js';
import type { Database } from '../../store/schema.js';
import type { CenterDeps } from '../deps.js';
import { CenterError } from '../errors.js';
import { idPage, nextCursor } from '../id-cursor.js';
import type { Center } from '../index.js';
import { recomputeHealth } from '../inventory/health.js';
import { can, type Principal, SYSTEM } from '../principal.js';
import type { ExceptionInput, ExceptionSelector, ExceptionView } from '../types.js';
import { applyExceptions, exceptionsInForce, reopenCovered } from './apply.js';
import { compileRow, isInForce } from './match.js';
import { presentException } from './present.js';

type Tx = Transaction<Database>;

export interface ExceptionServiceOptions {
  /** A new or changed exception waits for a second person's approval before it covers anything. */
  requireApproval: boolean;
}

const SELECTOR_FIELDS = [
  'registry',
  'repository',
  'image',
  'host',
  'container',
  'cluster',
  'namespace',
  'kind',
  'name',
  'resource',
] as const;

const invalid = (message: string) => new CenterError('BULKHEAD_ERR_VALIDATION', message);

/** The input checked and normalised: targets and reason required, a real date, selector fields known. */
function checked(input: ExceptionInput, now: Date): ExceptionInput {
  const targets = (input.targets ?? []).map((t) => String(t).trim()).filter(Boolean);
  if (targets.length === 0) throw invalid('targets: name at least one control, advisory or rule id');
  const reason = (input.reason ?? '').trim();
  if (!reason) throw invalid('reason: an exception needs a reason');
  const selector: ExceptionSelector = {};
  for (const [k, v] of Object.entries(input.selector ?? {})) {
    if (k === 'labels') {
      if (!v || typeof v !== 'object' || Object.values(v).some((x) => typeof x !== 'string'))
        throw invalid('selector.labels: an object of label values');
      selector.labels = v as Record<string, string>;
    } else if ((SELECTOR_FIELDS as readonly string[]).includes(k)) {
      if (typeof v !== 'string' || !v) throw invalid(`selector.${k}: a non-empty string`);
      selector[k as (typeof SELECTOR_FIELDS)[number]] = v;
    } else
      throw invalid(`selector.${k}: not a selector field (${[...SELECTOR_FIELDS, 'labels'].join(', ')})`);
  }
  const out: ExceptionInput = { targets, selector, reason };
  if (input.expires !== undefined && input.expires !== null && input.expires !== '') {
    let until: number;
    try {
      until = parseExpiry(input.expires);
    } catch {
      throw invalid(`expires: "${input.expires}" is not a date (use YYYY-MM-DD)`);
    }
    if (until < now.getTime()) throw invalid(`expires: ${input.expires} has already passed`);
    out.expires = input.expires;
  }
  return out;
}

function requireTriage(principal: Principal): void {
  if (!can(principal, 'triage'))
    throw new CenterError('BULKHEAD_ERR_FORBIDDEN', 'this principal may not change exceptions');
}

async function load(tx: Tx, id: number): Promise<CenterExceptionRow> {
  const row = await getException(tx, id);
  if (!row) throw new CenterError('BULKHEAD_ERR_EXCEPTION_NOT_FOUND', `no exception ${id}`);
  return row;
}

async function view(tx: Tx | CenterDeps['store']['db'], row: CenterExceptionRow): Promise<ExceptionView> {
  const covers =
    (await countExceptedFindings(tx, row.id)) +
    (await countExceptedControlResults(tx, row.id)) +
    (await countExceptedAlerts(tx, row.id));
  return presentException(row, covers);
}

/** Cover what the exception matches now (it just became active); recompute the health it changed. */
async function cover(tx: Tx, row: CenterExceptionRow, now: Date): Promise<void> {
  if (!isInForce(row, now)) return;
  const changed = await applyExceptions(tx, [compileRow(row)], now.toISOString());
  await recomputeHealth(tx, changed);
}

/** Re-open what the exception covered (revoked, expired, changed), leaving to others what they cover. */
async function uncover(tx: Tx, id: number, now: Date): Promise<number> {
  const others = (await exceptionsInForce(tx, now)).filter((e) => e.id !== id);
  const { reopened, resources } = await reopenCovered(tx, id, others, now.toISOString());
  await recomputeHealth(tx, resources);
  return reopened;
}

/**
 * `center.exceptions`. Each write is one transaction with its audit row. With `requireApproval`, a new or changed
 * exception is `pending` until someone other than its requester approves it; otherwise it is active at once,
 * approved by its requester. Active exceptions turn matching open results into `excepted`; revoking or expiry
 * re-opens them.
 */
export function createExceptionService(
  deps: CenterDeps,
  options: ExceptionServiceOptions,
): Center['exceptions'] {
  const db = deps.store.db;
  const audit = (tx: Tx, principal: Principal, action: string, id: number, detail: Record<string, unknown>) =>
    appendAudit(tx, {
      at: deps.clock().toISOString(),
      actor: { kind: principal.kind, id: principal.id, name: principal.name },
      action,
      target: `exception:${id}`,
      detail,
    });

  return {
    list: async (query) => {
      const page = idPage(query, ['id'], false);
      const rows = await listExceptions(db, { ...page, ...(query.status ? { status: query.status } : {}) });
      const items = await Promise.all(rows.map((r) => view(db, r)));
      return { items, next: nextCursor(items, page.limit), total: await countExceptions(db, query.status) };
    },
    get: async (id) => view(db, await db.transaction().execute((tx) => load(tx, id))),
    create: async (principal, input) => {
      requireTriage(principal);
      const now = deps.clock();
      const clean = checked(input, now);
      return db.transaction().execute(async (tx) => {
        const active = !options.requireApproval;
        const id = await insertException(tx, {
          targets: toJsonColumn(clean.targets),
          selector: toJsonColumn(clean.selector),
          reason: clean.reason,
          requested_by: principal.id,
          approved_by: active ? principal.id : null,
          status: active ? 'active' : 'pending',
          expires: clean.expires ?? null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        });
        const row = await load(tx, id);
        await cover(tx, row, now);
        await audit(tx, principal, 'exception.create', id, { ...clean, status: row.status });
        return view(tx, row);
      });
    },
    update: async (principal, id, input) => {
      requireTriage(principal);
      const now = deps.clock();
      return db.transaction().execute(async (tx) => {
        const before = await load(tx, id);
        if (before.status === 'revoked' || before.status === 'expired')
          throw invalid(`exception ${id} is ${before.status}: create a new one`);
        const merged = presentException(before, 0);
        const clean = checked(
          {
            targets: input.targets ?? merged.targets,
            selector: input.selector ?? merged.selector,
            reason: input.reason ?? merged.reason,
            ...(input.expires !== undefined
              ? { expires: input.expires }
              : merged.expires
                ? { expires: merged.expires }
                : {}),
          },
          now,
        );
        // a changed exception covers something else: it is approved again when approval is required
        const status = options.requireApproval ? 'pending' : 'active';
        if (before.status === 'active') await uncover(tx, id, now);
        await updateException(tx, id, {
          targets: toJsonColumn(clean.targets),
          selector: toJsonColumn(clean.selector),
          reason: clean.reason,
          expires: clean.expires ?? null,
          status,
          approved_by: status === 'active' ? principal.id : null,
          updated_at: now.toISOString(),
        });
        const row = await load(tx, id);
        await cover(tx, row, now);
        await audit(tx, principal, 'exception.update', id, { ...clean, status });
        return view(tx, row);
      });
    },
    approve: async (principal, id) => {
      requireTriage(principal);
      const now = deps.clock();
      return db.transaction().execute(async (tx) => {
        const before = await load(tx, id);
        if (before.status !== 'pending') throw invalid(`exception ${id} is ${before.status}, not pending`);
        if (before.requested_by === principal.id)
          throw new CenterError(
            'BULKHEAD_ERR_APPROVAL_REQUIRED',
            'an exception is approved by someone other than its requester',
          );
        await updateException(tx, id, {
          status: 'active',
          approved_by: principal.id,
          updated_at: now.toISOString(),
        });
        const row = await load(tx, id);
        await cover(tx, row, now);
        await audit(tx, principal, 'exception.approve', id, {});
        return view(tx, row);
      });
    },
    revoke: async (principal, id) => {
      requireTriage(principal);
      const now = deps.clock();
      await db.transaction().execute(async (tx) => {
        const before = await load(tx, id);
        if (before.status === 'revoked') return;
        const reopened = before.status === 'active' ? await uncover(tx, id, now) : 0;
        await updateException(tx, id, { status: 'revoked', updated_at: now.toISOString() });
        await audit(tx, principal, 'exception.revoke', id, { reopened });
      });
    },
    expire: async () => {
      const now = deps.clock();
      return db.transaction().execute(async (tx) => {
        const due = (await exceptionsIn(tx, ['active', 'pending'])).filter(
          (r) => r.expires && !isInForce({ ...r, status: 'active' }, now),
        );
        for (const row of due) {
          await updateException(tx, row.id, { status: 'expired', updated_at: now.toISOString() });
          const reopened = row.status === 'active' ? await uncover(tx, row.id, now) : 0;
          await audit(tx, SYSTEM, 'exception.expire', row.id, { expires: row.expires, reopened });
        }
        return due.length;
      });
    },
  };
}
