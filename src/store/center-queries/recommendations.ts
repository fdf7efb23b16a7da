import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { fromJsonColumn } from '../json-column.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * How one resource stands against one control, from its rows in center_control_results (one per subject and
 * engine): 2 unhealthy (an open result), 1 healthy (passing or resolved), 0 not applicable (excepted, or the
 * engine said not_applicable/manual/info/error). The worst row wins. Removed resources are left out.
 */
export type Verdict = 0 | 1 | 2;

const ROW_VERDICT = sql<number>`case
  when cr.state = 'open' then 2
  when cr.state = 'excepted' then 0
  when cr.state = 'resolved' or cr.status = 'pass' then 1
  else 0 end`;

export interface ControlResourceVerdict {
  control: string;
  resource: string;
  verdict: Verdict;
}

/**
 * Every (control, resource) verdict of the center in one pass: what the recommendation counts, the score and
 * compliance all derive from. Removed resources are left out by a NOT IN over the (few) removed keys rather than a
 * join, so the grouping streams over the covering `(control, resource_key, state, status)` index. The engine is
 * not read: control ids do not collide across engines (`5.5`, `K8S-POD-01`), and k8s-scan and admission-audit
 * results of one control on one resource are one assessment.
 */
export async function allControlVerdicts(db: Db): Promise<ControlResourceVerdict[]> {
  const rows = await db
    .selectFrom('center_control_results as cr')
    .where('cr.resource_key', 'not in', (eb) =>
      eb.selectFrom('center_resources').select('key').where('removed_at', 'is not', null),
    )
    .select((eb) => [
      'cr.control as control',
      'cr.resource_key as resource',
      eb.fn.max(ROW_VERDICT).as('verdict'),
    ])
    .groupBy(['cr.control', 'cr.resource_key'])
    .execute();
  return rows.map((r) => ({
    control: r.control,
    resource: r.resource,
    verdict: Number(r.verdict) as Verdict,
  }));
}

export interface ResourceVerdict {
  key: string;
  type: string;
  name: string;
  verdict: Verdict;
}

/** The resources assessed by any of `controls` (the engine's ids), with their verdict. */
export async function controlResourceVerdicts(
  db: Db,
  controls: readonly string[],
): Promise<ResourceVerdict[]> {
  if (controls.length === 0) return [];
  const rows = await db
    .selectFrom('center_control_results as cr')
    .innerJoin('center_resources as r', 'r.key', 'cr.resource_key')
    .where('r.removed_at', 'is', null)
    .where('cr.control', 'in', [...controls])
    .select((eb) => ['r.key', 'r.type', 'r.name', eb.fn.max(ROW_VERDICT).as('verdict')])
    .groupBy(['r.key', 'r.type', 'r.name'])
    .orderBy('r.key')
    .execute();
  return rows.map((r) => ({ key: r.key, type: r.type, name: r.name, verdict: Number(r.verdict) as Verdict }));
}

export interface ImageVulnerabilityState {
  key: string;
  name: string;
  health: string;
  assessed: boolean;
  open: number;
  excepted: number;
  /** A container, pod or workload (not removed) runs it. */
  running: boolean;
}

/**
 * Every image of the inventory with its open and excepted findings and whether something runs it. Open counts are
 * read from the image's `counts` (kept by every write that opens or closes a finding, in the same transaction);
 * excepted ones from one grouping over the excepted rows. Counting each image's findings instead walked the whole
 * findings index: 0.6–1.6 s at a million findings, paid by the first recommendations page after every push.
 */
export async function imageVulnerabilityStates(db: Db): Promise<ImageVulnerabilityState[]> {
  const rows = await db
    .selectFrom('center_resources as r')
    .where('r.type', '=', 'image')
    .where('r.removed_at', 'is', null)
    .select((eb) => [
      'r.key',
      'r.name',
      'r.health',
      'r.assessed_at',
      'r.counts',
      eb
        .exists(
          eb
            .selectFrom('center_resources as u')
            .select('u.key')
            .whereRef('u.image_key', '=', 'r.key')
            .where('u.removed_at', 'is', null),
        )
        .as('running'),
    ])
    .orderBy('r.key')
    .execute();
  const excepted = new Map<string, number>();
  for (const e of await db
    .selectFrom('center_findings')
    .select(['resource_key', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('state', '=', 'excepted')
    .groupBy('resource_key')
    .execute())
    excepted.set(e.resource_key, Number(e.n));
  return rows.map((r) => ({
    key: r.key,
    name: r.name,
    health: r.health,
    assessed: r.assessed_at !== null && r.health !== 'not_assessed',
    open: openFindingsIn(r.counts),
    excepted: excepted.get(r.key) ?? 0,
    running: Boolean(Number(r.running)) || r.running === true,
  }));
}

/** The open findings a resource's `counts` column holds (per severity), 0 when it has none. */
function openFindingsIn(counts: string): number {
  const findings = fromJsonColumn<{ findings?: Record<string, number> }>(counts, {}).findings ?? {};
  let n = 0;
  for (const v of Object.values(findings)) n += v;
  return n;
}
