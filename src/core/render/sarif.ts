import type { Severity } from '../severity.js';
import { TOOL } from '../version.js';

/** A rule (a control, advisory or detection) as SARIF describes it. */
export interface SarifRule {
  id: string;
  name?: string;
  shortDescription: string;
  fullDescription?: string;
  helpUri?: string;
  help?: string;
  severity: Severity;
  tags?: string[];
}

export interface SarifLocation {
  /** File path or URI of the artifact (image reference, manifest file…). */
  uri: string;
  startLine?: number;
  /** Logical location, e.g. `Deployment default/web` or a container name. */
  logicalName?: string;
}

export interface SarifResult {
  ruleId: string;
  message: string;
  severity: Severity;
  locations: SarifLocation[];
  /** Stable fingerprint so that code scanning tracks the same result across runs. */
  fingerprint?: string;
  properties?: Record<string, unknown>;
}

export interface SarifInput {
  rules: SarifRule[];
  results: SarifResult[];
  informationUri?: string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
};

/** GitHub code scanning reads `security-severity` (0.0–10.0) to rank results. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '2.0',
  UNKNOWN: '0.0',
};

/** Build a SARIF 2.1.0 log with one run. */
export function toSarif(input: SarifInput): object {
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL.name,
            version: TOOL.version,
            informationUri: input.informationUri ?? 'https://github.com/bulkhead-security/bulkhead',
            rules: input.rules.map((r) => ({
              id: r.id,
              name: r.name ?? r.id,
              shortDescription: { text: r.shortDescription },
              fullDescription: { text: r.fullDescription ?? r.shortDescription },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              help: { text: r.help ?? r.shortDescription },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: {
                'security-severity': SECURITY_SEVERITY[r.severity],
                precision: 'high',
                tags: ['security', ...(r.tags ?? [])],
              },
            })),
          },
        },
        results: input.results.map((res) => ({
          ruleId: res.ruleId,
          ...(ruleIndex.has(res.ruleId) ? { ruleIndex: ruleIndex.get(res.ruleId) } : {}),
          level: LEVEL[res.severity],
          message: { text: res.message },
          locations: res.locations.map((loc) => ({
            physicalLocation: {
              artifactLocation: { uri: loc.uri },
              ...(loc.startLine ? { region: { startLine: loc.startLine } } : {}),
            },
            ...(loc.logicalName ? { logicalLocations: [{ fullyQualifiedName: loc.logicalName }] } : {}),
          })),
          ...(res.fingerprint ? { partialFingerprints: { bulkheadResult: res.fingerprint } } : {}),
          ...(res.properties ? { properties: res.properties } : {}),
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}
