import { isObject } from './values.js';
import { wildcardMatch } from './wildcard.js';

type Rec = Record<string, unknown>;

/** What match/exclude look at: the object (or pod view of it), the request, the namespace labels. */
export interface MatchSubject {
  apiVersion: string;
  kind: string;
  name: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** CREATE when there is no request (background scans judge objects as they would be created). */
  operation: string;
  userInfo?: { username?: string; groups?: string[] };
  /** Labels of the object's namespace, when known (namespaceSelector). */
  namespaceLabels?: Record<string, string>;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/**
 * A Kyverno kind selector: `Kind`, `version/Kind`, `group/version/Kind`, each part with wildcards; a
 * `/subresource` suffix never matches an object.
 */
export function kindMatches(selector: string, apiVersion: string, kind: string): boolean {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const parts = selector.split('/');
  if (parts.length === 1) return wildcardMatch(parts[0]!, kind);
  if (parts.length === 2) {
    // `Pod/status` names a subresource; `v1/Pod` a version
    if (/^[A-Z*]/.test(parts[0]!) && parts[0] !== '*') return false;
    return wildcardMatch(parts[0]!, version!) && wildcardMatch(parts[1]!, kind);
  }
  if (parts.length === 3) {
    if (/^[A-Z]/.test(parts[1]!)) return false;
    return (
      wildcardMatch(parts[0]!, group!) && wildcardMatch(parts[1]!, version!) && wildcardMatch(parts[2]!, kind)
    );
  }
  return false;
}

/** A label selector with Kyverno's wildcards in matchLabels keys and values. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObject(selector)) return true;
  const ml = isObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) {
    const hits = Object.entries(labels).filter(([lk]) => wildcardMatch(k, lk));
    if (!hits.some(([, lv]) => wildcardMatch(String(v), lv))) return false;
  }
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isObject(e)) continue;
    const key = String(e.key);
    const values = strings(e.values);
    const has = Object.hasOwn(labels, key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function resourcesMatch(r: Rec, s: MatchSubject): boolean {
  const kinds = strings(r.kinds);
  if (kinds.length > 0 && !kinds.some((k) => kindMatches(k, s.apiVersion, s.kind))) return false;
  const names = [...strings(r.names), ...(typeof r.name === 'string' ? [r.name] : [])];
  if (names.length > 0 && !names.some((n) => wildcardMatch(n, s.name))) return false;
  const namespaces = strings(r.namespaces);
  if (namespaces.length > 0) {
    const ns = s.kind === 'Namespace' ? s.name : s.namespace;
    if (!namespaces.some((n) => wildcardMatch(n, ns))) return false;
  }
  const operations = strings(r.operations);
  if (operations.length > 0 && !operations.includes(s.operation)) return false;
  if (isObject(r.annotations))
    for (const [k, v] of Object.entries(r.annotations)) {
      const hits = Object.entries(s.annotations).filter(([ak]) => wildcardMatch(k, ak));
      if (!hits.some(([, av]) => wildcardMatch(String(v), av))) return false;
    }
  if (r.selector !== undefined && !selectorMatches(r.selector, s.labels)) return false;
  if (r.namespaceSelector !== undefined) {
    const labels = s.kind === 'Namespace' ? s.labels : s.namespaceLabels;
    if (!labels || !selectorMatches(r.namespaceSelector, labels)) return false;
  }
  return true;
}

function subjectsMatch(subjects: unknown, s: MatchSubject): boolean {
  const list = Array.isArray(subjects) ? subjects.filter(isObject) : [];
  if (list.length === 0) return true;
  const user = s.userInfo?.username ?? '';
  const groups = s.userInfo?.groups ?? [];
  return list.some((sub) => {
    const name = String(sub.name ?? '');
    if (sub.kind === 'User') return wildcardMatch(name, user);
    if (sub.kind === 'Group') return groups.some((g) => wildcardMatch(name, g));
    if (sub.kind === 'ServiceAccount')
      return wildcardMatch(`system:serviceaccount:${String(sub.namespace ?? '')}:${name}`, user);
    return false;
  });
}

/** One filter block: `resources` and `subjects` must all hold. */
function blockMatches(block: Rec, s: MatchSubject): boolean {
  if (isObject(block.resources) && !resourcesMatch(block.resources, s)) return false;
  return subjectsMatch(block.subjects, s);
}

/** The filter blocks of a match or exclude: `any`, `all`, or the legacy single block (as `all`). */
export function blocksOf(m: unknown): { any: Rec[]; all: Rec[] } {
  if (!isObject(m)) return { any: [], all: [] };
  const any = Array.isArray(m.any) ? m.any.filter(isObject) : [];
  const all = Array.isArray(m.all) ? m.all.filter(isObject) : [];
  if (any.length === 0 && all.length === 0 && (m.resources || m.subjects)) all.push(m);
  return { any, all };
}

/** Does a rule's `match` select the subject? An empty match selects nothing. */
export function ruleMatches(match: unknown, s: MatchSubject): boolean {
  const { any, all } = blocksOf(match);
  if (any.length === 0 && all.length === 0) return false;
  if (any.length > 0 && !any.some((b) => blockMatches(b, s))) return false;
  return all.every((b) => blockMatches(b, s));
}

/** Does a rule's `exclude` set the subject aside? */
export function ruleExcludes(exclude: unknown, s: MatchSubject): boolean {
  const { any, all } = blocksOf(exclude);
  if (any.length > 0 && any.some((b) => blockMatches(b, s))) return true;
  return all.length > 0 && all.every((b) => blockMatches(b, s));
}
