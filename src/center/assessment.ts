import { dataVersion } from '../store/center-queries/data-version.js';
import {
  allControlVerdicts,
  type ImageVulnerabilityState,
  imageVulnerabilityStates,
  type Verdict,
} from '../store/center-queries/recommendations.js';
import type { Store } from '../store/index.js';
import {
  controlByResultId,
  RECOMMENDATION_ENTRIES,
  VULNERABILITY_REGISTRY_IMAGES,
  VULNERABILITY_RUNNING_IMAGES,
} from './catalogue.js';

/**
 * The verdict of every resource against every recommendation, read in two queries. Recommendations, the secure
 * score and compliance all derive from it, so they agree with each other. On SQLite it is kept until the database
 * changes (the same data-version test as list totals): the dashboard reads these pages far more often than reports
 * arrive, and one pass over the control results of a large center takes a second or more.
 *
 * Image verdicts (docs/center.md): an open finding → unhealthy; only excepted findings → not applicable; assessed
 * by a scan with nothing open → healthy; never assessed → not counted.
 */
export interface Assessment {
  /** Recommendation id → resource key → verdict (2 unhealthy, 1 healthy, 0 not applicable). */
  byRecommendation: Map<string, Map<string, Verdict>>;
}

export function imageVerdict(image: ImageVulnerabilityState): Verdict | null {
  if (image.open > 0) return 2;
  if (image.excepted > 0) return 0;
  return image.assessed ? 1 : null;
}

async function assess(store: Store): Promise<Assessment> {
  const byRecommendation = new Map<string, Map<string, Verdict>>(
    RECOMMENDATION_ENTRIES.map((e) => [e.id, new Map<string, Verdict>()]),
  );
  const [controls, images] = await Promise.all([
    allControlVerdicts(store.db),
    imageVulnerabilityStates(store.db),
  ]);
  for (const row of controls) {
    const entry = controlByResultId(row.control);
    const target = entry ? byRecommendation.get(entry.id) : undefined;
    if (!target) continue;
    // A Docker result may be filed under the bare number or the recommendation id: the worst of both counts.
    target.set(row.resource, Math.max(target.get(row.resource) ?? 0, row.verdict) as Verdict);
  }
  const registry = byRecommendation.get(VULNERABILITY_REGISTRY_IMAGES)!;
  const running = byRecommendation.get(VULNERABILITY_RUNNING_IMAGES)!;
  for (const image of images) {
    const verdict = imageVerdict(image);
    if (verdict === null) continue;
    registry.set(image.key, verdict);
    if (image.running) running.set(image.key, verdict);
  }
  return { byRecommendation };
}

const cache = new WeakMap<Store, { version: string; assessment: Promise<Assessment> }>();

export async function currentAssessment(store: Store): Promise<Assessment> {
  const version = await dataVersion(store);
  if (version === null) return assess(store);
  const known = cache.get(store);
  if (known && known.version === version) return known.assessment;
  const assessment = assess(store);
  cache.set(store, { version, assessment });
  assessment.catch(() => cache.delete(store));
  return assessment;
}
