import { readFileSync } from 'node:fs';
import { errorMessage, UserInputError } from '../core/errors.js';
import type { Finding } from './types.js';

/** One VEX statement that suppresses: the vulnerability, the products (purls) and why. */
export interface VexStatement {
  vulnerability: string;
  /** purls the statement is about (products and their subcomponents); empty = every package. */
  products: string[];
  status: 'not_affected' | 'fixed';
  justification: string;
  /** The document it came from. */
  document: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function openVex(doc: Json, name: string): VexStatement[] {
  const out: VexStatement[] = [];
  for (const s of Array.isArray(doc.statements) ? doc.statements : []) {
    if (!isObj(s)) continue;
    const status = str(s.status);
    if (status !== 'not_affected' && status !== 'fixed') continue;
    const v = s.vulnerability;
    const vuln = isObj(v) ? (str(v.name) ?? str(v['@id'])) : str(v);
    if (!vuln) continue;
    const products: string[] = [];
    for (const p of Array.isArray(s.products) ? s.products : []) {
      const id = isObj(p) ? str(p['@id']) : str(p);
      if (id) products.push(id);
      if (isObj(p) && Array.isArray(p.subcomponents))
        for (const sub of p.subcomponents) {
          const sid = isObj(sub) ? str(sub['@id']) : str(sub);
          if (sid) products.push(sid);
        }
    }
    const aliases =
      isObj(v) && Array.isArray(v.aliases) ? v.aliases.filter((a): a is string => typeof a === 'string') : [];
    const justification =
      [str(s.justification), str(s.impact_statement), str(s.status_notes)].filter(Boolean).join(': ') ||
      status;
    for (const id of [vuln, ...aliases])
      out.push({ vulnerability: id, products, status, justification, document: name });
  }
  return out;
}

const CDX_SUPPRESSING: Readonly<Record<string, 'not_affected' | 'fixed'>> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
};

function cycloneDxVex(doc: Json, name: string): VexStatement[] {
  const refs = new Map<string, string>();
  const walk = (list: unknown) => {
    for (const c of Array.isArray(list) ? list : []) {
      if (!isObj(c)) continue;
      const ref = str(c['bom-ref']);
      const purl = str(c.purl);
      if (ref && purl) refs.set(ref, purl);
      walk(c.components);
    }
  };
  walk(doc.components);
  if (isObj(doc.metadata) && isObj(doc.metadata.component)) walk([doc.metadata.component]);
  const out: VexStatement[] = [];
  for (const v of Array.isArray(doc.vulnerabilities) ? doc.vulnerabilities : []) {
    if (!isObj(v) || !isObj(v.analysis)) continue;
    const status = CDX_SUPPRESSING[str(v.analysis.state) ?? ''];
    const id = str(v.id);
    if (!status || !id) continue;
    const products: string[] = [];
    for (const a of Array.isArray(v.affects) ? v.affects : []) {
      const ref = isObj(a) ? str(a.ref) : undefined;
      if (ref) products.push(refs.get(ref) ?? ref);
    }
    const justification =
      [str(v.analysis.justification), str(v.analysis.detail)].filter(Boolean).join(': ') ||
      str(v.analysis.state)!;
    out.push({ vulnerability: id, products, status, justification, document: name });
  }
  return out;
}

/** Read an OpenVEX or CycloneDX VEX (JSON) document: the statements that suppress (`not_affected`, `fixed`). */
export function loadVex(file: string): VexStatement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserInputError(file, `not a readable JSON VEX document: ${errorMessage(error)}`);
  }
  return parseVex(doc, file);
}

export function parseVex(doc: unknown, name: string): VexStatement[] {
  if (isObj(doc) && str(doc['@context'])?.includes('openvex')) return openVex(doc, name);
  if (isObj(doc) && doc.bomFormat === 'CycloneDX') return cycloneDxVex(doc, name);
  throw new UserInputError(name, 'neither an OpenVEX nor a CycloneDX VEX document');
}

/** purl without qualifiers and subpath; the version is compared only when the statement names one. */
function samePackage(statementPurl: string, pkgPurl: string): boolean {
  const a = decodeURIComponent(statementPurl.replace(/[?#].*$/, ''));
  const b = decodeURIComponent(pkgPurl.replace(/[?#].*$/, ''));
  if (a === b) return true;
  const hasVersion = /@[^/]+$/.test(a);
  return !hasVersion && b.replace(/@[^/]+$/, '') === a;
}

/** The statement that suppresses a finding, if any. */
export function vexFor(statements: readonly VexStatement[], f: Finding): VexStatement | undefined {
  return statements.find(
    (s) =>
      (s.vulnerability === f.id || f.aliases.includes(s.vulnerability)) &&
      (s.products.length === 0 || s.products.some((p) => samePackage(p, f.package.purl))),
  );
}
