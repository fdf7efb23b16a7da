import type { Store } from '../../store/index.js';
import { type Assessment, currentAssessment } from '../assessment.js';
import { RECOMMENDATION_ENTRIES } from '../catalogue.js';
import type { ScoreControlView } from '../types.js';
import { holds, SCORE_CONTROLS, type ScoreControl } from './controls/index.js';

export interface CurrentScore {
  percentage: number | null;
  controls: ScoreControlView[];
}

/** The score of an assessment, kept as long as the assessment is (assessment.ts). */
const computed = new WeakMap<Assessment, CurrentScore>();

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Distinct resources a control's recommendations assessed, each unhealthy when it fails any of them and healthy
 * when it was assessed and fails none (not-applicable verdicts count in neither sum).
 */
function controlResources(
  assessment: Assessment,
  control: ScoreControl,
): { healthy: number; unhealthy: number } {
  const verdicts = new Map<string, number>();
  for (const entry of RECOMMENDATION_ENTRIES) {
    if (!holds(control, entry)) continue;
    for (const [key, v] of assessment.byRecommendation.get(entry.id) ?? [])
      verdicts.set(key, Math.max(verdicts.get(key) ?? 0, v));
  }
  let healthy = 0;
  let unhealthy = 0;
  for (const v of verdicts.values()) {
    if (v === 2) unhealthy += 1;
    else if (v === 1) healthy += 1;
  }
  return { healthy, unhealthy };
}

/**
 * The secure score now: each control `max × healthy / (healthy + unhealthy)`; the percentage is the sum of the
 * controls' points over the sum of the maxima of controls that assessed something; null when none did.
 */
export async function computeScore(store: Store): Promise<CurrentScore> {
  const assessment = await currentAssessment(store);
  const known = computed.get(assessment);
  if (known) return known;
  const controls: ScoreControlView[] = [];
  let points = 0;
  let possible = 0;
  for (const control of SCORE_CONTROLS) {
    const { healthy, unhealthy } = controlResources(assessment, control);
    const assessed = healthy + unhealthy;
    const current = assessed === 0 ? 0 : (control.max * healthy) / assessed;
    if (assessed > 0) {
      points += current;
      possible += control.max;
    }
    controls.push({ name: control.name, max: control.max, current: round2(current), healthy, unhealthy });
  }
  const score = { percentage: possible === 0 ? null : round2((points / possible) * 100), controls };
  computed.set(assessment, score);
  return score;
}
