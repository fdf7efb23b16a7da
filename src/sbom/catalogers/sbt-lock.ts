import { parseJsonSafe } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

type SbtDependency = { org?: unknown; name?: unknown; version?: unknown; configurations?: unknown };

/** The configurations whose dependencies ship with the application; `test`, `provided`… do not. */
const SHIPPED = new Set(['compile', 'runtime']);

/** Scala sbt: `*.sbt.lock` of sbt-dependency-lock, dependencies of the compile or runtime configuration. */
export const sbtLock: Cataloger = {
  name: 'sbt-lock',
  kind: 'lock',
  version: 1,
  type: 'maven',
  wants: (path) => (path.endsWith('.sbt.lock') ? { maxBytes: 16 * MiB } : undefined),
  parse(file) {
    const doc = parseJsonSafe(file.content) as { dependencies?: unknown } | undefined;
    const deps = Array.isArray(doc?.dependencies) ? (doc.dependencies as SbtDependency[]) : [];
    const found: Found[] = [];
    for (const d of deps) {
      const { org, name, version, configurations } = d ?? {};
      if (typeof org !== 'string' || typeof name !== 'string' || typeof version !== 'string') continue;
      if (!Array.isArray(configurations) || !configurations.some((c) => SHIPPED.has(c))) continue;
      found.push({ name: `${org}:${name}`, version, namespace: org });
    }
    return found;
  },
};
