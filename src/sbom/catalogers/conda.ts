import { parse as parseYaml } from 'yaml';
import { baseOf, parseJsonSafe } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const META = /(?:^|\/)conda-meta\/[^/]+\.json$/;
const ENVIRONMENT = /(?:^|\/)environment\.ya?ml$/;

/** An installed package's record: `conda-meta/<name>-<version>-<build>.json`. */
function installed(content: Buffer): Found[] {
  const doc = parseJsonSafe(content);
  if (!isObj(doc) || typeof doc.name !== 'string' || typeof doc.version !== 'string') return [];
  if (!doc.name || !doc.version) return [];
  const license = typeof doc.license === 'string' && doc.license ? [doc.license] : undefined;
  return [{ name: doc.name, version: doc.version, ...(license ? { licenses: license } : {}) }];
}

/**
 * One match spec of an environment file: `bzip2=1.0.8=h998d150_5`, `conda-forge::numpy==1.26.4`,
 * `python 3.11.4`. Only pinned versions count: ranges (`>=`, `<`, `|`, `*`) and bare names are left out.
 */
export function condaSpec(spec: string): Found | undefined {
  const m = /^(?:[^\s:]+::)?([A-Za-z0-9_.-]+)\s*(?:==?|\s)\s*([^=\s]+)/.exec(spec.trim());
  if (!m || /[<>|*,!~]/.test(m[2]!)) return undefined;
  return { name: m[1]!, version: m[2]! };
}

/** An environment file's `dependencies` (the nested `pip:` list belongs to PyPI and is left out). */
function environment(content: Buffer): Found[] {
  let doc: unknown;
  try {
    doc = parseYaml(content.toString('utf8'), { maxAliasCount: 100, logLevel: 'error' });
  } catch {
    return [];
  }
  if (!isObj(doc) || !Array.isArray(doc.dependencies)) return [];
  return doc.dependencies
    .filter((d): d is string => typeof d === 'string')
    .map(condaSpec)
    .filter((f): f is Found => !!f);
}

/** Conda: installed environments (`conda-meta/*.json`) and environment files (`environment.yml`). */
export const conda: Cataloger = {
  name: 'conda',
  kind: 'installed',
  version: 1,
  type: 'conda',
  wants: (path) =>
    META.test(path) && baseOf(path) !== 'history'
      ? { maxBytes: 16 * MiB }
      : ENVIRONMENT.test(path)
        ? { maxBytes: 4 * MiB }
        : undefined,
  parse(file) {
    if (META.test(file.path)) return installed(file.content);
    return environment(file.content);
  },
};
