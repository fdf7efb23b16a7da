import picomatch from 'picomatch';
import { exceptionState } from '../../core/exceptions.js';
import type { CenterExceptionRow } from '../../store/center-exceptions.js';
import type { CenterResourceRow } from '../../store/center-resources.js';
import { fromJsonColumn } from '../../store/json-column.js';
import type { ExceptionSelector } from '../types.js';

/** A resource as a selector sees it: itself first, then its parent, up to the family's root. */
export interface ResourceFacts {
  key: string;
  type: string;
  name: string;
  attributes: Record<string, unknown>;
}

export interface CompiledException {
  id: number;
  /** True when one of the ids (vulnerability id or alias, control id, rule id) is a target. */
  targets(ids: readonly string[]): boolean;
  /** True when the selector matches the resource (chain[0]) or its ancestors. */
  covers(chain: readonly ResourceFacts[]): boolean;
}

// bash: a single `*` also crosses `/`, so `workload:prod/*` covers every workload of the cluster prod
const glob = (pattern: string) => picomatch(pattern, { bash: true, dot: true });

export function compileException(
  id: number,
  targets: readonly string[],
  selector: ExceptionSelector,
): CompiledException {
  const targetMatchers = targets.map(glob);
  const checks: ((chain: readonly ResourceFacts[]) => boolean)[] = [];
  const ofType = (type: string, pattern: string | undefined, names: (r: ResourceFacts) => string[]) => {
    if (pattern === undefined) return;
    const m = glob(pattern);
    checks.push((chain) => chain.some((r) => r.type === type && names(r).some((n) => m(n))));
  };
  ofType('registry', selector.registry, (r) => [r.name]);
  // a repository is named with or without its registry host
  ofType('repository', selector.repository, (r) => [r.name, r.name.slice(r.name.indexOf('/') + 1)]);
  ofType('image', selector.image, (r) => [
    r.key.slice('image:'.length),
    ...strings(r.attributes.repoTags),
    ...strings(r.attributes.repoDigests),
    ...strings(r.attributes.configDigest),
  ]);
  ofType('host', selector.host, (r) => [r.name]);
  ofType('container', selector.container, (r) => [
    r.name.replace(/^\//, ''),
    r.key.slice(r.key.lastIndexOf('/') + 1),
  ]);
  ofType('cluster', selector.cluster, (r) => [r.name]);
  ofType('namespace', selector.namespace, (r) => [r.name]);
  if (selector.kind !== undefined) {
    const m = glob(selector.kind);
    checks.push((chain) => chain.some((r) => typeof r.attributes.kind === 'string' && m(r.attributes.kind)));
  }
  if (selector.name !== undefined) {
    const m = glob(selector.name);
    checks.push((chain) => chain[0] !== undefined && m(chain[0].name));
  }
  if (selector.resource !== undefined) {
    const m = glob(selector.resource);
    checks.push((chain) => chain.some((r) => m(r.key)));
  }
  if (selector.labels && Object.keys(selector.labels).length > 0) {
    const wanted = Object.entries(selector.labels).map(([k, v]) => [k, glob(v)] as const);
    checks.push((chain) =>
      chain.some((r) => {
        const labels = (r.attributes.labels ?? {}) as Record<string, unknown>;
        return wanted.every(([k, m]) => typeof labels[k] === 'string' && m(labels[k] as string));
      }),
    );
  }
  return {
    id,
    targets: (ids) => ids.some((i) => targetMatchers.some((m) => m(i))),
    covers: (chain) => checks.every((c) => c(chain)),
  };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function compileRow(row: CenterExceptionRow): CompiledException {
  return compileException(
    row.id,
    fromJsonColumn<string[]>(row.targets, []),
    fromJsonColumn<ExceptionSelector>(row.selector, {}),
  );
}

/** Active (approved, not revoked) and not past its date at `now`. */
export function isInForce(row: CenterExceptionRow, now: Date): boolean {
  if (row.status !== 'active') return false;
  return (
    !row.expires ||
    exceptionState({ id: String(row.id), reason: row.reason, expires: row.expires }, now) === 'active'
  );
}

/** The chain of a resource (itself, then ancestors) from rows loaded with their ancestors. */
export function chainOf(key: string, rows: ReadonlyMap<string, CenterResourceRow>): ResourceFacts[] {
  const chain: ResourceFacts[] = [];
  const seen = new Set<string>();
  for (
    let row = rows.get(key);
    row && !seen.has(row.key);
    row = row.parent_key ? rows.get(row.parent_key) : undefined
  ) {
    seen.add(row.key);
    chain.push({
      key: row.key,
      type: row.type,
      name: row.name,
      attributes: fromJsonColumn<Record<string, unknown>>(row.attributes, {}),
    });
  }
  return chain;
}

/** The first exception (lowest id) covering the result, or null. */
export function firstCovering(
  exceptions: readonly CompiledException[],
  chain: readonly ResourceFacts[],
  ids: readonly string[],
): number | null {
  for (const e of exceptions) if (e.targets(ids) && e.covers(chain)) return e.id;
  return null;
}
