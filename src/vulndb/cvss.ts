import { type Severity, severityFromCvssScore } from '../core/severity.js';

/** Parse `CVSS:3.1/AV:N/AC:L/…` (or a v2 vector without prefix) into its metrics. */
function metrics(vector: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of vector.split('/')) {
    const [k, v] = part.split(':');
    if (k && v && k !== 'CVSS') out[k] = v;
  }
  return out;
}

function roundUp(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** CVSS v3.0/v3.1 base score (FIRST specification, section 7.1), or undefined for an incomplete vector. */
export function cvss3BaseScore(vector: string): number | undefined {
  const m = metrics(vector);
  const AV = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 }[m.AV ?? ''];
  const AC = { L: 0.77, H: 0.44 }[m.AC ?? ''];
  const UI = { N: 0.85, R: 0.62 }[m.UI ?? ''];
  const changed = m.S === 'C';
  if (m.S !== 'C' && m.S !== 'U') return undefined;
  const PR = (changed ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 })[m.PR ?? ''];
  const cia = (x: string | undefined) => ({ H: 0.56, L: 0.22, N: 0 })[x ?? ''];
  const [C, I, A] = [cia(m.C), cia(m.I), cia(m.A)];
  if ([AV, AC, UI, PR, C, I, A].some((x) => x === undefined)) return undefined;
  const iss = 1 - (1 - C!) * (1 - I!) * (1 - A!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * AV! * AC! * PR! * UI!;
  if (impact <= 0) return 0;
  return roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
}

/** CVSS v2 base score (FIRST CVSS v2 guide, section 3.2.1). */
export function cvss2BaseScore(vector: string): number | undefined {
  const m = metrics(vector.replace(/^\(|\)$/g, ''));
  const AV = { L: 0.395, A: 0.646, N: 1 }[m.AV ?? ''];
  const AC = { H: 0.35, M: 0.61, L: 0.71 }[m.AC ?? ''];
  const Au = { M: 0.45, S: 0.56, N: 0.704 }[m.Au ?? ''];
  const cia = (x: string | undefined) => ({ N: 0, P: 0.275, C: 0.66 })[x ?? ''];
  const [C, I, A] = [cia(m.C), cia(m.I), cia(m.A)];
  if ([AV, AC, Au, C, I, A].some((x) => x === undefined)) return undefined;
  const impact = 10.41 * (1 - (1 - C!) * (1 - I!) * (1 - A!));
  const exploitability = 20 * AV! * AC! * Au!;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

/** Score and rating of a vector; a score the source published wins over the computed one. v4 needs a published score. */
export function cvssSeverity(vector: string, published?: number): { score?: number; severity: Severity } {
  const v = vector.trim();
  const version = v.startsWith('CVSS:4') ? '4' : v.startsWith('CVSS:3') ? '3' : '2';
  const score =
    published !== undefined && Number.isFinite(published)
      ? published
      : version === '3'
        ? cvss3BaseScore(v)
        : version === '2'
          ? cvss2BaseScore(v)
          : undefined;
  if (score === undefined) return { severity: 'UNKNOWN' };
  return { score, severity: severityFromCvssScore(score, version) };
}
