import { compareText } from '../../core/collate.js';
import type { ResourceVerdict } from '../../store/center-queries/recommendations.js';
import type { CatalogueEntry } from '../catalogue.js';
import type { RecommendationDetail, RecommendationView } from '../types.js';
import type { RecommendationCounts } from './assess.js';

const HEALTH = { 2: 'unhealthy', 1: 'healthy', 0: 'not_applicable' } as const;

export function presentRecommendation(
  entry: CatalogueEntry,
  counts: RecommendationCounts,
): RecommendationView {
  return {
    id: entry.id,
    title: entry.title,
    severity: entry.severity,
    kind: entry.kind === 'vulnerabilities' ? 'vulnerabilities' : 'control',
    group: entry.group,
    standards: [...entry.standards],
    description: entry.description,
    remediation: entry.remediation,
    unhealthy: counts.unhealthy,
    healthy: counts.healthy,
    notApplicable: counts.notApplicable,
    active: counts.unhealthy > 0,
  };
}

/** Detail: unhealthy resources first, then healthy, then not applicable; by key within each. */
export function presentRecommendationDetail(
  entry: CatalogueEntry,
  resources: ResourceVerdict[],
): RecommendationDetail {
  const counts = { unhealthy: 0, healthy: 0, notApplicable: 0 };
  for (const r of resources) {
    if (r.verdict === 2) counts.unhealthy += 1;
    else if (r.verdict === 1) counts.healthy += 1;
    else counts.notApplicable += 1;
  }
  const sorted = [...resources].sort((a, b) => b.verdict - a.verdict || compareText(a.key, b.key));
  return {
    ...presentRecommendation(entry, counts),
    resources: sorted.map((r) => ({ key: r.key, type: r.type, name: r.name, health: HEALTH[r.verdict] })),
  };
}
