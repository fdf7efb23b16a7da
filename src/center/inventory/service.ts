import {
  type CenterResourceRow,
  childCounts,
  countCenterResources,
  getCenterResource,
  listCenterResources,
  listCenterResourcesJson,
  openControlsOf,
  openCounts,
  runningIn,
} from '../../store/center-queries/resources.js';
import {
  type CatalogueEntry,
  catalogueById,
  catalogueEntry,
  VULNERABILITY_REGISTRY_IMAGES,
  VULNERABILITY_RUNNING_IMAGES,
} from '../catalogue.js';
import { createCountCache } from '../count-cache.js';
import type { CenterDeps } from '../deps.js';
import { CenterError } from '../errors.js';
import { planPage, type SortTable, toPage } from '../pagination.js';
import {
  createAlertQueries,
  createControlResultQueries,
  createFindingQueries,
  type KnownTotal,
} from '../results/service.js';
import {
  FAMILIES,
  HEALTH_STATES,
  type JsonText,
  type Page,
  type ResourceDetail,
  type ResourceQuery,
  type ResourceView,
} from '../types.js';
import { presentResource, RESOURCE_JSON } from './present.js';

/** How many open results of each kind a resource's detail carries; its `next` cursors continue in the lists. */
export const DETAIL_RESULTS = 20;
const OPEN_ALERTS = 'new,acknowledged,in_progress';

/** Sort fields of the resource list: `name` (default), `key`, `type`, `health`, `firstSeen`, `lastSeen`; ties by key. */
type SortColumns = Pick<CenterResourceRow, 'key' | 'name' | 'type' | 'health' | 'first_seen' | 'last_seen'>;

const SORTS: SortTable<SortColumns> = {
  fields: {
    name: { column: 'name', value: (r) => r.name },
    key: { column: 'key', value: (r) => r.key },
    type: { column: 'type', value: (r) => r.type },
    health: { column: 'health', value: (r) => r.health },
    firstSeen: { column: 'first_seen', value: (r) => r.first_seen },
    lastSeen: { column: 'last_seen', value: (r) => r.last_seen },
  },
  tiebreak: { column: 'key', value: (r) => r.key },
  default: 'name',
};

const IMAGE_USERS = new Set(['container', 'pod', 'workload']);

function check<T extends string>(value: string | undefined, allowed: readonly T[], what: string): void {
  if (value !== undefined && !(allowed as readonly string[]).includes(value))
    throw new CenterError('BULKHEAD_ERR_VALIDATION', `${what} must be one of ${allowed.join(', ')}`);
}

function resourcePlan(query: ResourceQuery) {
  const plan = planPage(query, SORTS);
  check(query.family, FAMILIES, 'family');
  check(query.health, HEALTH_STATES, 'health');
  const filters = {
    family: query.family,
    type: query.type,
    health: query.health,
    parent: query.parent,
    search: query.search,
    removed: query.removed === true,
  };
  return { plan, filters };
}

export function createInventoryQueries(deps: CenterDeps) {
  const cached = createCountCache(deps);
  const findings = createFindingQueries(deps);
  const controlResults = createControlResultQueries(deps);
  const alerts = createAlertQueries(deps);
  return {
    async list(query: ResourceQuery): Promise<Page<ResourceView>> {
      const { plan, filters } = resourcePlan(query);
      const db = deps.store.db;
      const [rows, total] = await Promise.all([
        listCenterResources(db, filters, plan.request),
        cached(JSON.stringify(filters), () => countCenterResources(db, filters)),
      ]);
      return toPage(plan, rows, total, presentResource);
    },

    /** The same page with each item as JSON text written by the database (what the API answers). */
    async listJson(query: ResourceQuery): Promise<Page<JsonText>> {
      const { plan, filters } = resourcePlan(query);
      const db = deps.store.db;
      const [rows, total] = await Promise.all([
        listCenterResourcesJson(db, deps.store.dialect, filters, plan.request, RESOURCE_JSON),
        cached(JSON.stringify(filters), () => countCenterResources(db, filters)),
      ]);
      return toPage(plan, rows, total, (r) => r.json as JsonText);
    },

    async get(key: string): Promise<ResourceDetail> {
      const db = deps.store.db;
      const row = await getCenterResource(db, key);
      if (!row) throw new CenterError('BULKHEAD_ERR_RESOURCE_NOT_FOUND', `no resource "${key}"`);
      const isImage = row.type === 'image';
      const first = { resource: key, limit: DETAIL_RESULTS };
      const counts = await openCounts(db, key);
      // The open counts are the first pages' totals; a kind with none open needs no page query.
      const firstPage = <V>(total: number, list: (known: KnownTotal) => Promise<Page<V>>) =>
        total === 0 ? Promise.resolve<Page<V>>({ items: [], next: null, total }) : list({ total });
      const [children, controls, users, openFindings, openControls, openAlerts] = await Promise.all([
        childCounts(db, key),
        openControlsOf(db, key),
        isImage ? runningIn(db, [key]) : Promise.resolve([]),
        firstPage(counts.findings, (k) => findings.list({ ...first, state: 'open' }, k)),
        firstPage(counts.controlResults, (k) => controlResults.list({ ...first, state: 'open' }, k)),
        firstPage(counts.alerts, (k) => alerts.list({ ...first, state: OPEN_ALERTS }, k)),
      ]);
      const failing = new Map<string, CatalogueEntry>();
      for (const c of controls) {
        const entry = catalogueEntry(c.engine, c.control);
        if (entry) failing.set(entry.id, entry);
      }
      if (isImage && counts.findings > 0) {
        failing.set(VULNERABILITY_REGISTRY_IMAGES, catalogueById(VULNERABILITY_REGISTRY_IMAGES)!);
        if (users.some((u) => IMAGE_USERS.has(u.type)))
          failing.set(VULNERABILITY_RUNNING_IMAGES, catalogueById(VULNERABILITY_RUNNING_IMAGES)!);
      }
      return {
        ...presentResource(row),
        recommendations: [...failing.values()].map((e) => ({
          id: e.id,
          title: e.title,
          severity: e.severity,
        })),
        children,
        ...(isImage ? { runningIn: users.map(({ key: k, type, name }) => ({ key: k, type, name })) } : {}),
        openFindings: counts.findings,
        openControlResults: counts.controlResults,
        openAlerts: counts.alerts,
        openResults: { findings: openFindings, controlResults: openControls, alerts: openAlerts },
      };
    },
  };
}
