import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A reader of OVAL 5 definition files (SUSE, Oracle ELSA, CBL-Mariner / Azure Linux): definitions with their
 * metadata and criteria tree, and the rpminfo tests, objects and states the criteria point to. What the criteria
 * mean is each feed's business; this module only reads the document.
 */

export interface OvalCriterion {
  testRef: string;
  comment: string;
}

export interface OvalCriteria {
  operator: 'AND' | 'OR';
  criteria: OvalCriteria[];
  criterions: OvalCriterion[];
}

export interface OvalDefinition {
  id: string;
  class: string;
  /** The definition's `version` attribute. */
  version: string;
  title: string;
  description: string;
  platforms: string[];
  references: { source: string; id: string; url: string }[];
  /** `advisory/severity`, or a `severity` directly under metadata (Mariner). */
  severity?: string;
  issued?: string;
  updated?: string;
  cves: { id: string; impact?: string; cvss3?: string; href?: string }[];
  /** Other metadata leaves as text (Mariner: `patchable`, `advisory_id`, `advisory_date`). */
  extra: Record<string, string>;
  criteria?: OvalCriteria;
}

/** An rpminfo test resolved through its object and state. */
export interface OvalTest {
  id: string;
  comment: string;
  /** The rpminfo object's package name. */
  name?: string;
  /** The state's comparison: `less than`, `equals`, `greater than`, `less than or equal`… */
  operation?: string;
  /** The state's `evr` or `version` value. */
  value?: string;
  /** Which of the two the state compares. */
  field?: 'evr' | 'version';
  arch?: string;
}

export interface OvalDocument {
  generator: { productName?: string; productVersion?: string; timestamp?: string };
  definitions: OvalDefinition[];
  test(id: string): OvalTest | undefined;
}

const LISTS = new Set([
  'definition',
  'criteria',
  'criterion',
  'reference',
  'cve',
  'platform',
  'rpminfo_test',
  'rpminfo_object',
  'rpminfo_state',
  'bugzilla',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && LISTS.has(name),
});

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isNode) : isNode(v) ? [v] : []);

/** An element's text (a plain string, or `#text` beside attributes). */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (isNode(v)) return text(v['#text']);
  if (Array.isArray(v)) return text(v[0]);
  return undefined;
}

const attr = (n: Node | undefined, name: string): string | undefined => {
  const v = n?.[`@${name}`];
  return typeof v === 'string' ? v : undefined;
};

function readCriteria(n: Node): OvalCriteria {
  return {
    operator: (attr(n, 'operator') ?? 'AND').toUpperCase() === 'OR' ? 'OR' : 'AND',
    criteria: nodes(n.criteria).map(readCriteria),
    criterions: nodes(n.criterion).flatMap((c) => {
      const testRef = attr(c, 'test_ref');
      return testRef ? [{ testRef, comment: attr(c, 'comment') ?? '' }] : [];
    }),
  };
}

const KNOWN_METADATA = new Set(['title', 'description', 'affected', 'reference', 'advisory', 'severity']);

function readDefinition(d: Node): OvalDefinition {
  const meta = isNode(d.metadata) ? d.metadata : {};
  const advisory = isNode(meta.advisory) ? meta.advisory : undefined;
  const affected = nodes(meta.affected);
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(meta)) {
    const t = KNOWN_METADATA.has(key) ? undefined : text(value);
    if (t !== undefined) extra[key] = t;
  }
  const criteria = nodes(d.criteria)[0];
  const severity = text(advisory?.severity) ?? text(meta.severity);
  const issued = attr(isNode(advisory?.issued) ? advisory.issued : undefined, 'date');
  const updated = attr(isNode(advisory?.updated) ? advisory.updated : undefined, 'date');
  return {
    id: attr(d, 'id') ?? '',
    class: attr(d, 'class') ?? '',
    version: attr(d, 'version') ?? '',
    title: text(meta.title) ?? '',
    description: text(meta.description) ?? '',
    platforms: affected
      .flatMap((a) => (Array.isArray(a.platform) ? a.platform : []))
      .flatMap((p) => {
        const t = text(p);
        return t ? [t] : [];
      }),
    references: nodes(meta.reference).map((r) => ({
      source: attr(r, 'source') ?? '',
      id: attr(r, 'ref_id') ?? '',
      url: attr(r, 'ref_url') ?? '',
    })),
    ...(severity ? { severity } : {}),
    ...(issued ? { issued } : {}),
    ...(updated ? { updated } : {}),
    cves: nodes(advisory?.cve).flatMap((c) => {
      const id = text(c);
      if (!id) return [];
      const impact = attr(c, 'impact');
      const cvss3 = attr(c, 'cvss3');
      const href = attr(c, 'href');
      return [{ id, ...(impact ? { impact } : {}), ...(cvss3 ? { cvss3 } : {}), ...(href ? { href } : {}) }];
    }),
    extra,
    ...(criteria ? { criteria: readCriteria(criteria) } : {}),
  };
}

/** Whether a text looks like an OVAL definitions document (cheap: the first 4 KB). */
export function looksLikeOval(text: string): boolean {
  return /<(?:\w+:)?oval_definitions[\s>]/.test(text.slice(0, 4096));
}

/** Parse an OVAL definitions document. Throws on XML that is not one. */
export function parseOval(xml: string): OvalDocument {
  // the parser reads a truncated file without complaint: check the document is whole first
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  const root = parser.parse(xml) as Node;
  const doc = root.oval_definitions;
  if (!isNode(doc)) throw new Error('no oval_definitions element');
  const gen = isNode(doc.generator) ? doc.generator : {};
  // a section by its schema name, or its singular as some edited files spell it (`<state>`)
  const section = (name: string, item: string) =>
    [name, name.slice(0, -1)].flatMap((n) => nodes(isNode(doc[n]) ? (doc[n] as Node)[item] : undefined));
  const objects = new Map<string, string>();
  for (const o of section('objects', 'rpminfo_object')) {
    const id = attr(o, 'id');
    const name = text(o.name);
    if (id && name) objects.set(id, name);
  }
  const states = new Map<string, Pick<OvalTest, 'operation' | 'value' | 'field' | 'arch'>>();
  for (const s of section('states', 'rpminfo_state')) {
    const id = attr(s, 'id');
    if (!id) continue;
    const field = isNode(s.evr) || typeof s.evr === 'string' ? 'evr' : 'version';
    const el = s[field];
    const value = text(el);
    const operation = attr(isNode(el) ? el : undefined, 'operation');
    const arch = text(s.arch);
    states.set(id, {
      ...(value !== undefined ? { value, field } : {}),
      ...(operation ? { operation } : {}),
      ...(arch ? { arch } : {}),
    });
  }
  const tests = new Map<string, OvalTest>();
  for (const t of section('tests', 'rpminfo_test')) {
    const id = attr(t, 'id');
    if (!id) continue;
    const objectRef = attr(isNode(t.object) ? t.object : undefined, 'object_ref');
    const stateRef = attr(isNode(t.state) ? t.state : undefined, 'state_ref');
    const name = objectRef ? objects.get(objectRef) : undefined;
    tests.set(id, {
      id,
      comment: attr(t, 'comment') ?? '',
      ...(name ? { name } : {}),
      ...((stateRef ? states.get(stateRef) : undefined) ?? {}),
    });
  }
  const productName = text(gen.product_name);
  const productVersion = text(gen.product_version);
  const timestamp = text(gen.timestamp);
  return {
    generator: {
      ...(productName ? { productName } : {}),
      ...(productVersion ? { productVersion } : {}),
      ...(timestamp ? { timestamp } : {}),
    },
    definitions: section('definitions', 'definition').map(readDefinition),
    test: (id) => tests.get(id),
  };
}

/**
 * The alternatives a criteria tree allows, each as the criterions that must all hold: OR gives one
 * alternative per branch (a flat OR of criterions stays one alternative whose criterions are alternatives of
 * each other, as OVAL writes "one of these products AND one of these packages"); AND combines its children's
 * alternatives.
 */
export function alternatives(c: OvalCriteria): OvalCriterion[][] {
  if (c.operator === 'OR') {
    if (c.criteria.length === 0) return [c.criterions];
    return [...c.criterions.map((x) => [x]), ...c.criteria.flatMap(alternatives)];
  }
  let out: OvalCriterion[][] = [c.criterions];
  for (const child of c.criteria) {
    const alts = alternatives(child);
    out = out.flatMap((prefix) => alts.map((alt) => [...prefix, ...alt]));
  }
  return out;
}
