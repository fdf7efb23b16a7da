import { compareText } from '../core/collate.js';
import type { VulnerabilityFinding } from '../core/results.js';
import { severityRank } from '../core/severity.js';

/**
 * EPSS bands, lowest first: a score at or above a band's floor is in it. FIRST publishes probabilities; bands
 * keep a small difference in score from outweighing a whole severity level.
 */
export const EPSS_BANDS = [0.01, 0.1, 0.5] as const;

function epssBand(score: number | undefined): number {
  if (score === undefined) return 0;
  return EPSS_BANDS.filter((floor) => score >= floor).length;
}

/**
 * A finding's risk, one number whose order is, factor by factor (each only breaks ties of the one before):
 * 1. in CISA's KEV catalog (exploited in the wild);
 * 2. its EPSS band (below 1 %, from 1 %, from 10 %, from 50 %);
 * 3. its severity (CRITICAL … UNKNOWN);
 * 4. a fixed version exists (the finding can be closed now).
 * `risk = 1000·kev + 100·band + 10·severity + fix`, from 0 to 1341.
 */
export function riskOf(f: Pick<VulnerabilityFinding, 'kev' | 'epss' | 'severity' | 'status'>): number {
  return (
    (f.kev ? 1000 : 0) +
    100 * epssBand(f.epss?.score) +
    10 * severityRank(f.severity) +
    (f.status === 'fixed' ? 1 : 0)
  );
}

/** Sort comparator, highest risk first; then the EPSS score itself, then id, package and path. */
export function compareRisk(a: VulnerabilityFinding, b: VulnerabilityFinding): number {
  return (
    (b.risk ?? riskOf(b)) - (a.risk ?? riskOf(a)) ||
    (b.epss?.score ?? 0) - (a.epss?.score ?? 0) ||
    compareText(a.id, b.id) ||
    compareText(a.package.name, b.package.name) ||
    compareText(a.package.version, b.package.version) ||
    compareText(a.path ?? '', b.path ?? '')
  );
}
