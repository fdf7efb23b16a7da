/**
 * The columns a result list shows, taken from the result as its report has it when the row is written. The
 * presenters (present.ts) read only these, never `data`, so a page does not parse every row's whole document.
 */
type Content = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const isObject = (v: unknown): v is Content => typeof v === 'object' && v !== null && !Array.isArray(v);

export function findingDisplay(finding: Content): { title: string | null; remediation: string } {
  return { title: str(finding.title), remediation: str(finding.remediation) ?? '' };
}

export function controlResultDisplay(result: Content): {
  title: string | null;
  message: string;
  field: string | null;
  remediation: string | null;
} {
  return {
    title: str(result.title),
    message: str(result.message) ?? '',
    field: str(result.field),
    remediation: str(result.remediation),
  };
}

export function alertDisplay(alert: Content): {
  title: string | null;
  tactic: string;
  technique: string | null;
  evidence: string;
} {
  return {
    title: str(alert.title),
    tactic: str(alert.tactic) ?? '',
    technique: str(alert.technique),
    evidence: JSON.stringify(isObject(alert.evidence) ? alert.evidence : {}),
  };
}
