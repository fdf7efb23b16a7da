import { compareText } from '../core/collate.js';
import { UserInputError } from '../core/errors.js';
import { lookupTable } from '../core/lookup-table.js';
import type { CvssScore } from '../core/results.js';
import type { Severity } from '../core/severity.js';
import { ID_SOURCE_NAMES } from '../vulndb/feeds/common.js';
import type { SeverityEntry } from '../vulndb/index.js';
import { osVendors } from './namespace.js';

/** Advisory source name → the vendor whose word it carries. */
const SOURCE_VENDOR: Readonly<Record<string, string>> = lookupTable({
  'debian-dsa': 'debian',
  'debian-dla': 'debian',
  'debian-tracker': 'debian',
  'alpine-secdb': 'alpine',
  'wolfi-secdb': 'wolfi',
  'chainguard-secdb': 'chainguard',
  'minimos-secdb': 'minimos',
  'nodejs-security-wg': 'nodejs-security-wg',
  'suse-oval': 'suse-cvrf',
  'amazon-alas': 'amazon',
});

export function vendorOfSource(source: string): string {
  return SOURCE_VENDOR[source] ?? source;
}

export interface SeverityChoice {
  severity: Severity;
  /** Who said it. @example 'debian', 'ghsa', 'nvd' */
  source: string;
  /**
   * Whether a source the order asks for gave it (for `auto`: the advisory's vendor, GHSA or NVD). When not, the
   * records of the finding's aliases are worth reading for one.
   */
  preferred: boolean;
}

/** `--vuln-severity-source` default: the advisory's own vendor first (see `chooseSeverity`). */
export const AUTO_SEVERITY_SOURCE = 'auto';

function cvssVersion(e: SeverityEntry): '2' | '3' | '4' {
  return e.type === 'CVSS_V2' ? '2' : e.type === 'CVSS_V4' ? '4' : '3';
}

const known = (e: SeverityEntry) => e.severity !== 'UNKNOWN';

/** The last vendor word of `source` (package-level statements follow record-level ones). */
function wordOf(entries: readonly SeverityEntry[], source: string): Severity | undefined {
  return entries.filter((e) => e.type === 'vendor' && e.source === source && known(e)).at(-1)?.severity;
}

/** The highest-version CVSS score's band, NVD's first. */
function bestCvss(entries: readonly SeverityEntry[]): SeverityEntry | undefined {
  return entries
    .filter((e) => e.type !== 'vendor' && known(e))
    .sort(
      (a, b) =>
        Number(b.source === 'nvd') - Number(a.source === 'nvd') ||
        compareText(cvssVersion(b), cvssVersion(a)),
    )[0];
}

/**
 * The default order: the advisory's own vendor (for OS packages the distro: Debian urgency, Ubuntu priority,
 * Red Hat impact…), then GHSA, then NVD, then the highest-version CVSS score (NVD first), then any other vendor
 * word.
 */
function autoSeverity(entries: readonly SeverityEntry[], vendors: readonly string[]): SeverityChoice {
  const preferred = [...new Set([...vendors, 'ghsa', 'nvd'])];
  for (const vendor of preferred) {
    const word = wordOf(entries, vendor);
    if (word) return { severity: word, source: vendor, preferred: true };
  }
  const cvss = bestCvss(entries);
  if (cvss)
    return { severity: cvss.severity, source: cvss.source, preferred: preferred.includes(cvss.source) };
  const any = entries.find((e) => e.type === 'vendor' && known(e));
  if (any) return { severity: any.severity, source: any.source, preferred: false };
  return { severity: 'UNKNOWN', source: entries[0]?.source ?? 'none', preferred: false };
}

/**
 * Choose one severity by `order` (`--vuln-severity-source`): each name in turn gives its vendor word, else its
 * highest-version CVSS score; `auto` is the default order at that place. When no name of the order has one, the
 * default order decides (the finding keeps a severity; `severitySource` says whose).
 */
export function chooseSeverity(
  entries: readonly SeverityEntry[],
  vendors: readonly string[],
  order: readonly string[] = [AUTO_SEVERITY_SOURCE],
): SeverityChoice {
  for (const name of order) {
    if (name === AUTO_SEVERITY_SOURCE) {
      const auto = autoSeverity(entries, vendors);
      if (auto.preferred) return auto;
      continue;
    }
    const word = wordOf(entries, name);
    if (word) return { severity: word, source: name, preferred: true };
    const cvss = bestCvss(entries.filter((e) => e.source === name));
    if (cvss) return { severity: cvss.severity, source: name, preferred: true };
  }
  return { ...autoSeverity(entries, vendors), preferred: false };
}

/** The names an order may use: `auto`, NVD, GHSA, every distribution vendor and every advisory source. */
export function severitySourceNames(): string[] {
  return [
    ...new Set([
      AUTO_SEVERITY_SOURCE,
      'nvd',
      'ghsa',
      ...osVendors(),
      ...Object.values(SOURCE_VENDOR),
      ...ID_SOURCE_NAMES.map(vendorOfSource),
      'nodejs',
      'osv',
    ]),
  ].sort(compareText);
}

/**
 * `--vuln-severity-source` / `vulnSeveritySource`: comma-separated source names, in order. A name Bulkhead does not
 * know, or one given twice, is a UserInputError naming `input`.
 * @example parseSeveritySources('ubuntu,nvd,ghsa', '--vuln-severity-source') // ['ubuntu', 'nvd', 'ghsa']
 */
export function parseSeveritySources(text: string, input: string): string[] {
  const names = text.split(',').map((w) => w.trim().toLowerCase());
  const known = severitySourceNames();
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') throw new UserInputError(input, `"${text}" has an empty source name`);
    if (!known.includes(name))
      throw new UserInputError(input, `"${name}" is not a severity source (${known.join(', ')})`);
    if (seen.has(name)) throw new UserInputError(input, `"${name}" is given twice`);
    seen.add(name);
  }
  return names;
}

/** Every CVSS vector, once per (source, vector). */
export function cvssScores(entries: readonly SeverityEntry[]): CvssScore[] {
  const out: CvssScore[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.type === 'vendor') continue;
    const version = /^CVSS:(\d\.\d)/.exec(e.value)?.[1] ?? (e.type === 'CVSS_V2' ? '2.0' : cvssVersion(e));
    const key = `${e.source} ${e.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      source: e.source,
      version,
      vector: e.value,
      ...(e.score !== undefined ? { score: e.score } : {}),
    });
  }
  return out;
}
