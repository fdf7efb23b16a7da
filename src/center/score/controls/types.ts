import type { CatalogueSource } from '../../catalogue.js';

/** Which recommendations a security control holds: by id, or every one of a catalogue source's sections. */
export type RecommendationSelector = string | { source: CatalogueSource; sections: readonly string[] };

/**
 * A security control of the secure score: recommendations grouped under one goal, worth `max` points. Scores
 * `max × healthy / (healthy + unhealthy)` over the distinct resources its recommendations assessed.
 */
export interface ScoreControl {
  /** Stable, kebab-case; the API's `controls[].name`. */
  name: string;
  title: string;
  max: number;
  recommendations: readonly RecommendationSelector[];
}
