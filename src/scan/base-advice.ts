import type { Kysely } from 'kysely';
import { OS_PACKAGE_TYPES } from '../core/results.js';
import { imageLocation, normaliseReference } from '../image/reference-name.js';
import { countScanFindingsOfTypes } from '../store/findings.js';
import { listScans } from '../store/scans.js';
import type { Database } from '../store/schema.js';
import type { BaseAdvice } from './base-image.js';

/** How many stored scans, newest first, are looked through for a better base. */
const SCANS_LOOKED_AT = 2000;

/** Transports whose target names a registry image (`docker://…`, `docker-daemon:…`); the rest are local files. */
const NAMED = /^(?:docker:\/\/|docker-daemon:|registry:)/;

const VERSION = /^v?(\d+(?:\.\d+)*)(.*)$/;

function tagOf(name: string): string {
  const n = normaliseReference(name).name;
  return n.slice(n.lastIndexOf(':') + 1);
}

/**
 * Whether tag `a` is a later release than `b`: both versions of the same shape and variant (`12.8` > `12.7`,
 * `3.20.3-slim` > `3.20.2-slim`); a floating tag (`12`, `bookworm`, `latest`) is later than nothing.
 */
export function laterTag(a: string, b: string): boolean {
  const x = VERSION.exec(a);
  const y = VERSION.exec(b);
  if (!x || !y || x[2] !== y[2]) return false;
  const p = x[1]!.split('.').map(Number);
  const q = y[1]!.split('.').map(Number);
  if (p.length !== q.length) return false;
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return p[i]! > q[i]!;
  return false;
}

interface Candidate {
  name: string;
  digest?: string;
  findings: () => Promise<number>;
}

const sameRepository = (a: string, b: string) => {
  const x = imageLocation(a);
  const y = imageLocation(b);
  return x.registry === y.registry && x.repository === y.repository;
};

/**
 * A better base from the store: among stored scans of images of the base's repository (the base image scanned
 * itself, at a later version tag) and of images built on it (their base named by label, at a later version tag or
 * the same tag at another digest), the one with the fewest OS findings, when it has fewer than `findings` (this
 * image's OS findings from its base). Undefined when the base has no name or nothing stored does better.
 */
export async function baseAdvice(
  db: Kysely<Database>,
  base: { name?: string; digest?: string },
  findings: number,
): Promise<BaseAdvice | undefined> {
  const current = base.name;
  if (!current || findings === 0) return undefined;
  const tag = tagOf(current);
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  const scans = await listScans(db, { limit: SCANS_LOOKED_AT });
  for (const scan of scans) {
    if (scan.kind !== 'image' && scan.kind !== 'image-rematch') continue;
    const stored = scan.summary.baseImage as
      | { name?: string; digest?: string; findings?: number }
      | undefined;
    const digest = typeof scan.summary.digest === 'string' ? scan.summary.digest : undefined;
    let candidate: Candidate | undefined;
    if (stored?.name && typeof stored.findings === 'number' && sameRepository(stored.name, current)) {
      const t = tagOf(stored.name);
      const rebuilt = t === tag && stored.digest && base.digest && stored.digest !== base.digest;
      if (laterTag(t, tag) || rebuilt) {
        const n = stored.findings;
        candidate = {
          name: stored.name,
          ...(stored.digest ? { digest: stored.digest } : {}),
          findings: async () => n,
        };
      }
    } else if (NAMED.test(scan.target)) {
      const name = scan.target.replace(NAMED, '');
      if (sameRepository(name, current) && laterTag(tagOf(name), tag))
        candidate = {
          name,
          ...(digest ? { digest } : {}),
          findings: () => countScanFindingsOfTypes(db, scan.id, OS_PACKAGE_TYPES),
        };
    }
    // the newest scan of each candidate counts
    const key = candidate ? `${candidate.name}@${candidate.digest ?? ''}` : '';
    if (!candidate || seen.has(key)) continue;
    seen.add(key);
    candidates.push(candidate);
  }
  let best: BaseAdvice | undefined;
  for (const c of candidates) {
    const n = await c.findings();
    if (n < findings && (!best || n < best.findings))
      best = { name: c.name, ...(c.digest ? { digest: c.digest } : {}), findings: n, change: n - findings };
  }
  return best;
}
