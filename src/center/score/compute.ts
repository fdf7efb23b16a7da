import {
  controlResourceVerdicts,
  imageVulnerabilityStates,
} from '../../store/center-queries/recommendations.js';
import type { Store } from '../../store/index.js';
import { RECOMMENDATION_ENTRIES, VULNERABILITY_RUNNING_IMAGES } from '../catalogue.js';
import { imageVerdict } from '../recommendations/assess.js';
import type { ScoreControlView } from '../types.js';
import { holds, SCORE_CONTROLS, type ScoreControl } from './controls/index.js';

export interface CurrentScore {
  percentage: number | null;
  controls: ScoreControlView[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Distinct resources a control's recommendations assessed, each unhealthy when it fails any of them and healthy
 * when it was assessed and fails none (not-applicable verdicts count in neither sum).
 */
async function controlResources(
  store: Store,
  control: ScoreControl,
): Promise<{ healthy: number; unhealthy: number }> {
  const entries = RECOMMENDATION_ENTRIES.filter((e) => holds(control, e));
  const ids = entries.filter((e) => e.kind === 'control').flatMap((e) => [e.control, e.id]);
  const verdicts = new Map<string, number>();
  for (const r of await controlResourceVerdicts(store.db, [...new Set(ids)])) verdicts.set(r.key, r.verdict);
  const vulns = entries.filter((e) => e.kind === 'vulnerabilities');
  if (vulns.length > 0) {
    const allImages = vulns.some((e) => e.id !== VULNERABILITY_RUNNING_IMAGES);
    for (const image of await imageVulnerabilityStates(store.db)) {
      const verdict = imageVerdict(image);
      if (verdict === null || (!allImages && !image.running)) continue;
      verdicts.set(image.key, Math.max(verdicts.get(image.key) ?? 0, verdict));
    }
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
  const controls: ScoreControlView[] = [];
  let points = 0;
  let possible = 0;
  for (const control of SCORE_CONTROLS) {
    const { healthy, unhealthy } = await controlResources(store, control);
    const assessed = healthy + unhealthy;
    const current = assessed === 0 ? 0 : (control.max * healthy) / assessed;
    if (assessed > 0) {
      points += current;
      possible += control.max;
    }
    controls.push({ name: control.name, max: control.max, current: round2(current), healthy, unhealthy });
  }
  return { percentage: possible === 0 ? null : round2((points / possible) * 100), controls };
}
