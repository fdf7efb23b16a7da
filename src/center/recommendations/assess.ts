import {
  controlResourceVerdicts,
  controlVerdictCounts,
  type ImageVulnerabilityState,
  imageVulnerabilityStates,
  type ResourceVerdict,
  type Verdict,
} from '../../store/center-queries/recommendations.js';
import type { Store } from '../../store/index.js';
import {
  type CatalogueEntry,
  catalogueEntry,
  RECOMMENDATION_ENTRIES,
  VULNERABILITY_REGISTRY_IMAGES,
  VULNERABILITY_RUNNING_IMAGES,
} from '../catalogue.js';

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

function add(counts: RecommendationCounts, verdict: Verdict, n = 1): void {
  if (verdict === 2) counts.unhealthy += n;
  else if (verdict === 1) counts.healthy += n;
  else counts.notApplicable += n;
}

export function imageVerdict(image: ImageVulnerabilityState): Verdict | null {
  if (image.open > 0) return 2;
  if (image.excepted > 0) return 0;
  return image.assessed ? 1 : null;
}

/** Counts for every recommendation of the catalogue (zeros where nothing assessed it). */
export async function assessAll(store: Store): Promise<Map<string, RecommendationCounts>> {
  const counts = new Map<string, RecommendationCounts>(
    RECOMMENDATION_ENTRIES.map((e) => [e.id, { ...EMPTY_COUNTS }]),
  );
  const [controls, images] = await Promise.all([
    controlVerdictCounts(store.db),
    imageVulnerabilityStates(store.db),
  ]);
  for (const row of controls) {
    const entry = catalogueEntry(row.engine, row.control);
    const target = entry && entry.kind === 'control' ? counts.get(entry.id) : undefined;
    if (target) add(target, row.verdict, row.resources);
  }
  for (const image of images) {
    const verdict = imageVerdict(image);
    if (verdict === null) continue;
    add(counts.get(VULNERABILITY_REGISTRY_IMAGES)!, verdict);
    if (image.running) add(counts.get(VULNERABILITY_RUNNING_IMAGES)!, verdict);
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
