import { rulesCovering } from '../evidence/audit-rules.js';
import type {
  BenchResource,
  ContainerEvidence,
  Control,
  DaemonEvidence,
  Evidence,
  FileStat,
  ImageEvidence,
  Outcome,
  Source,
} from '../types.js';

export function containerResource(c: ContainerEvidence): BenchResource {
  return { type: 'container', id: c.inspect.Id, name: c.inspect.Name };
}

export function imageResource(i: ImageEvidence): BenchResource {
  return {
    type: 'image',
    id: i.inspect.Id,
    name: i.inspect.RepoTags[0] ?? i.inspect.RepoDigests[0] ?? '<none>',
  };
}

export function daemonResource(e: Evidence): BenchResource {
  return { type: 'daemon', id: e.info.ID || e.endpoint.display, name: 'dockerd' };
}

export function hostResource(e: Evidence): BenchResource {
  return { type: 'host', id: e.host.hostname, name: e.host.hostname };
}

export function fileResource(path: string): BenchResource {
  return { type: 'file', id: path, name: path };
}

/**
 * What a per-item test (`perContainer`, `perImage`) says about one container or image: null when it passes, the
 * reason when it fails, `{ error }` when its evidence is missing.
 */
export type ItemVerdict = string | null | { error: string };

function collect<T>(
  items: readonly T[],
  resource: (item: T) => BenchResource,
  test: (item: T) => ItemVerdict,
  noun: string,
  passMessage: string,
): Outcome {
  if (items.length === 0) return { status: 'pass', message: `no ${noun}s` };
  const failing: { resource: BenchResource; finding: string }[] = [];
  const errors: { resource: BenchResource; error: string }[] = [];
  for (const item of items) {
    const f = test(item);
    if (f === null) continue;
    if (typeof f === 'string') failing.push({ resource: resource(item), finding: f });
    else errors.push({ resource: resource(item), error: f.error });
  }
  if (errors.length)
    return {
      status: 'error',
      message: `${errors.length} ${noun}(s) could not be assessed: ${errors[0]!.error}`,
      resources: errors.map((x) => x.resource),
      evidence: {
        errors: errors.map((x) => ({ [noun]: x.resource.name, error: x.error })),
        failing: failing.map((x) => ({ [noun]: x.resource.name, finding: x.finding })),
      },
    };
  if (failing.length === 0) return { status: 'pass', message: `${items.length} ${noun}(s): ${passMessage}` };
  return {
    status: 'fail',
    message: `${failing.length} of ${items.length} ${noun}(s): ${failing
      .slice(0, 3)
      .map((x) => `${x.resource.name} (${x.finding})`)
      .join(', ')}${failing.length > 3 ? ', …' : ''}`,
    resources: failing.map((x) => x.resource),
    evidence: failing.map((x) => ({ [noun]: x.resource.name, finding: x.finding })),
  };
}

/** Evaluate every container (running or not); the result lists each failing one. */
export function perContainer(
  e: Evidence,
  test: (c: ContainerEvidence) => ItemVerdict,
  passMessage: string,
): Outcome {
  return collect(e.containers, containerResource, test, 'container', passMessage);
}

/** Evaluate every image on the host. */
export function perImage(e: Evidence, test: (i: ImageEvidence) => ItemVerdict, passMessage: string): Outcome {
  return collect(e.images, imageResource, test, 'image', passMessage);
}

/** Review-only: list what a reviewer needs, per container. */
export function reviewContainers(
  e: Evidence,
  describe: (c: ContainerEvidence) => unknown | null,
  message: string,
): Outcome {
  const rows = e.containers
    .map((c) => ({ c, d: describe(c) }))
    .filter((x) => x.d !== null)
    .map((x) => ({ resource: containerResource(x.c), detail: x.d }));
  return {
    status: 'manual',
    message: `${message} (${rows.length} container(s) to review)`,
    resources: rows.map((r) => r.resource),
    evidence: rows.map((r) => ({ container: r.resource.name, ...(r.detail as object) })),
  };
}

/** Run a check that needs the daemon's process and effective configuration. */
export function withDaemon(e: Evidence, fn: (d: DaemonEvidence) => Outcome): Outcome {
  if (!e.daemon.ok)
    return { status: 'error', message: `daemon configuration unavailable: ${e.daemon.reason}` };
  return fn(e.daemon.value);
}

export function fromSource<T>(source: Source<T>, fn: (value: T) => Outcome): Outcome {
  if (!source.ok) return { status: 'error', message: source.reason };
  return fn(source.value);
}

/** Paths resolved for an audit or file control: a list, or null when the thing is not installed/used. */
export type Targets = Source<string[]>;

/** 1.1.x: every target path must be covered by an audit rule. No targets → not applicable. */
export function auditTargets(e: Evidence, targets: Targets, what: string): Outcome {
  if (!targets.ok) return { status: 'error', message: targets.reason };
  if (targets.value.length === 0)
    return { status: 'not_applicable', message: `${what} is not present on this host` };
  const audit = e.host.audit;
  if (!audit.ok) return { status: 'error', message: `audit rules unavailable: ${audit.reason}` };
  const rows = targets.value.map((path) => {
    const stat = e.host.files.get(path);
    const real = stat?.ok && stat.value ? stat.value.realPath : path;
    const rules = new Set(
      [...rulesCovering(audit.value.rules, path), ...rulesCovering(audit.value.rules, real)].map(
        (r) => r.text,
      ),
    );
    return { path, ...(real !== path ? { realPath: real } : {}), rules: [...rules] };
  });
  const uncovered = rows.filter((r) => r.rules.length === 0);
  const evidence = { source: audit.value.source, targets: rows };
  if (uncovered.length === 0)
    return { status: 'pass', message: `audited: ${rows.map((r) => r.path).join(', ')}`, evidence };
  return {
    status: 'fail',
    message: `no audit rule for ${uncovered.map((r) => r.path).join(', ')} (${audit.value.source})`,
    resources: uncovered.map((r) => fileResource(r.path)),
    evidence,
  };
}

/** The paths among `candidates` that exist on the host (stat evidence), or an error. */
export function existing(e: Evidence, candidates: readonly string[]): Targets {
  const out: string[] = [];
  for (const path of candidates) {
    const s = e.host.files.get(path);
    if (!s) return { ok: false, reason: `${path} was not examined` };
    if (!s.ok) return { ok: false, reason: s.reason };
    if (s.value) out.push(path);
  }
  return { ok: true, value: out };
}

function stats(e: Evidence, targets: Targets): Source<FileStat[]> {
  if (!targets.ok) return targets;
  const out: FileStat[] = [];
  for (const path of targets.value) {
    const s = e.host.files.get(path);
    if (!s) return { ok: false, reason: `${path} was not examined` };
    if (!s.ok) return s;
    if (s.value) out.push(s.value);
  }
  return { ok: true, value: out };
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

function describe(s: FileStat) {
  return { path: s.path, owner: `${s.owner}:${s.group}`, mode: octal(s.mode) };
}

/** Section 3: each file must be owned by `owner:group`. No file → not applicable. */
export function ownership(
  targetsOrFiles: Targets | Source<FileStat[]>,
  e: Evidence,
  owner: string,
  group: string,
  what: string,
): Outcome {
  const files = isStatList(targetsOrFiles) ? targetsOrFiles : stats(e, targetsOrFiles);
  if (!files.ok) return { status: 'error', message: files.reason };
  if (files.value.length === 0)
    return { status: 'not_applicable', message: `${what}: not present on this host` };
  const bad = files.value.filter((s) => s.owner !== owner || s.group !== group);
  const evidence = files.value.map(describe);
  if (bad.length === 0) return { status: 'pass', message: `${what}: owned by ${owner}:${group}`, evidence };
  return {
    status: 'fail',
    message: `${what}: ${bad.map((s) => `${s.path} is ${s.owner}:${s.group}`).join(', ')} (want ${owner}:${group})`,
    resources: bad.map((s) => fileResource(s.path)),
    evidence,
  };
}

/** Section 3: each file's mode must grant nothing beyond `max` (e.g. 0o644). No file → not applicable. */
export function permissions(
  targetsOrFiles: Targets | Source<FileStat[]>,
  e: Evidence,
  max: number,
  what: string,
): Outcome {
  const files = isStatList(targetsOrFiles) ? targetsOrFiles : stats(e, targetsOrFiles);
  if (!files.ok) return { status: 'error', message: files.reason };
  if (files.value.length === 0)
    return { status: 'not_applicable', message: `${what}: not present on this host` };
  const bad = files.value.filter((s) => (s.mode & ~max) !== 0);
  const evidence = files.value.map(describe);
  if (bad.length === 0)
    return { status: 'pass', message: `${what}: mode ${octal(max)} or stricter`, evidence };
  return {
    status: 'fail',
    message: `${what}: ${bad.map((s) => `${s.path} has mode ${octal(s.mode)}`).join(', ')} (want ${octal(max)} or stricter)`,
    resources: bad.map((s) => fileResource(s.path)),
    evidence,
  };
}

function isStatList(x: Targets | Source<FileStat[]>): x is Source<FileStat[]> {
  return x.ok && x.value.length > 0 && typeof x.value[0] === 'object';
}

/** Container helpers shared by sections 4 and 5. */
export function isRootUser(user: string): boolean {
  const name = user.split(':')[0] ?? '';
  return name === '' || name === 'root' || name === '0';
}

export function securityOpts(c: ContainerEvidence): string[] {
  return c.inspect.HostConfig.SecurityOpt;
}

/** Fill the defaults every control shares. */
export function define(c: Omit<Control, 'version'> & { version?: number }): Control {
  return { version: 1, ...c };
}

/** Targets from one binary of the host evidence (null → not installed). */
export function binary(e: Evidence, name: string): Targets {
  if (!e.host.binaries.ok) return { ok: false, reason: e.host.binaries.reason };
  const path = e.host.binaries.value[name];
  return { ok: true, value: path ? [path] : [] };
}
