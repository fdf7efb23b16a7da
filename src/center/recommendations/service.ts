import { severityRank } from '../../core/severity.js';
import { type CatalogueEntry, catalogueById, RECOMMENDATION_ENTRIES } from '../catalogue.js';
import type { CenterDeps } from '../deps.js';
import { CenterError } from '../errors.js';
import { parseSeverities } from '../filters.js';
import { pageInMemory, type SortTable } from '../pagination.js';
import type { Page, RecommendationDetail, RecommendationQuery, RecommendationView } from '../types.js';
import { assessAll, assessOne } from './assess.js';
import { presentRecommendation, presentRecommendationDetail } from './present.js';

/**
 * Sort fields of the recommendation list: `unhealthy` (default `-unhealthy`: most unhealthy resources first),
 * `severity`, `healthy`, `title`, `id`; ties by id.
 */
const SORTS: SortTable<RecommendationView> = {
  fields: {
    unhealthy: { column: 'unhealthy', value: (r) => r.unhealthy },
    healthy: { column: 'healthy', value: (r) => r.healthy },
    severity: { column: 'severity', value: (r) => severityRank(r.severity) },
    title: { column: 'title', value: (r) => r.title },
    id: { column: 'id', value: (r) => r.id },
  },
  tiebreak: { column: 'id', value: (r) => r.id },
  default: '-unhealthy',
};

/** Every recommendation with its counts (the score and compliance use the same numbers). */
export async function allRecommendations(deps: CenterDeps): Promise<RecommendationView[]> {
  const counts = await assessAll(deps.store);
  return RECOMMENDATION_ENTRIES.map((e) => presentRecommendation(e, counts.get(e.id)!));
}

function recommendationEntry(id: string): CatalogueEntry {
  const entry = catalogueById(id);
  if (!entry || entry.kind === 'rule')
    throw new CenterError('BULKHEAD_ERR_NOT_FOUND', `no recommendation "${id}"`);
  return entry;
}

export function createRecommendationService(deps: CenterDeps) {
  return {
    async list(query: RecommendationQuery): Promise<Page<RecommendationView>> {
      const ranks = parseSeverities(query.severity);
      const all = await allRecommendations(deps);
      const rows = all.filter(
        (r) =>
          (query.active === undefined || r.active === query.active) &&
          (ranks === undefined || ranks.includes(severityRank(r.severity))) &&
          (query.group === undefined || r.group === query.group),
      );
      return pageInMemory(rows, query, SORTS, (r) => r);
    },
    async get(id: string): Promise<RecommendationDetail> {
      const entry = recommendationEntry(id);
      return presentRecommendationDetail(entry, await assessOne(deps.store, entry));
    },
  };
}
