import {
  controlResourceVerdicts,
  imageVulnerabilityStates,
  type ResourceVerdict,
} from '../../store/center-queries/recommendations.js';
import type { Store } from '../../store/index.js';
import { currentAssessment, imageVerdict } from '../assessment.js';
import { type CatalogueEntry, VULNERABILITY_RUNNING_IMAGES } from '../catalogue.js';

/**
 * Recommendations are derived, never stored: this module turns the center's results into per-recommendation
 * resource counts. Rules (docs/center.md, "Recommendations and secure score"):
 * - control recommendations: a resource with an open result of the control is unhealthy; one assessed by it with
 *   only passing or resolved results is healthy; one whose results are all excepted or not applicable (or manual,
 *   info, error) is not applicable. Exceptions take a resource out of both sums, as an accepted risk.
 * - vulnerability recommendations: an image with an open finding is unhealthy; with only excepted findings, not
 *   applicable; assessed by a scan with nothing open, healthy; never assessed, not counted at all. The running one
 *   keeps only images a container, pod or workload runs.
 */
export interface RecommendationCounts {
  unhealthy: number;
  healthy: number;
  notApplicable: number;
}

export const EMPTY_COUNTS: RecommendationCounts = { unhealthy: 0, healthy: 0, notApplicable: 0 };

/** Counts for every recommendation of the catalogue (zeros where nothing assessed it). */
export async function assessAll(store: Store): Promise<Map<string, RecommendationCounts>> {
  const { byRecommendation } = await currentAssessment(store);
  const counts = new Map<string, RecommendationCounts>();
  for (const [id, verdicts] of byRecommendation) {
    const c = { ...EMPTY_COUNTS };
    for (const v of verdicts.values()) {
      if (v === 2) c.unhealthy += 1;
      else if (v === 1) c.healthy += 1;
      else c.notApplicable += 1;
    }
    counts.set(id, c);
  }
  return counts;
}

/** The resources of one recommendation with their verdict. */
export async function assessOne(store: Store, entry: CatalogueEntry): Promise<ResourceVerdict[]> {
  if (entry.kind === 'vulnerabilities') {
    const running = entry.id === VULNERABILITY_RUNNING_IMAGES;
    const images = await imageVulnerabilityStates(store.db);
    return images.flatMap((image) => {
      const verdict = imageVerdict(image);
      if (verdict === null || (running && !image.running)) return [];
      return [{ key: image.key, type: 'image', name: image.name, verdict }];
    });
  }
  // A Docker result may carry the bare benchmark number or the recommendation id.
  const ids = entry.control === entry.id ? [entry.id] : [entry.control, entry.id];
  return controlResourceVerdicts(store.db, ids);
}
