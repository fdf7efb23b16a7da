// VEX repositories (the VEX Repository Specification that VEX Hub publishes): a manifest
// `vex-repository.json`, and per spec version a directory with `index.json` mapping package ids (purls
// without version) to VEX documents. Read from a local directory: a repository, or a directory of them
// (`repositories/<name>/`, the layout a downloaded cache keeps).
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PackageURL } from 'packageurl-js';
import { z } from 'zod';
import { errorMessage, UserInputError } from '../core/errors.js';
import { parseVex, type VexStatement } from './vex.js';

const MAX_FILE_BYTES = 64 << 20;
/** Spec versions this reader understands (major 0). */
const SUPPORTED_MAJOR = '0';

const Manifest = z.looseObject({
  name: z.string().optional(),
  versions: z.array(z.looseObject({ spec_version: z.string() })).min(1),
});

// Go's JSON decoding matches keys case-insensitively: repositories write `id`/`location` or `ID`/`Location`
const IndexEntry = z.looseObject({}).transform((o, ctx) => {
  const get = (k: string) => Object.entries(o).find(([key]) => key.toLowerCase() === k)?.[1];
  const id = get('id');
  const location = get('location');
  if (typeof id !== 'string' || !id || typeof location !== 'string' || !location) {
    ctx.addIssue({ code: 'custom', message: 'an entry needs id and location' });
    return z.NEVER;
  }
  return { id, location };
});
const Index = z.looseObject({ packages: z.array(z.unknown()) });

export interface VexRepository {
  name: string;
  /** The spec-version directory that holds index.json and the documents. */
  dir: string;
  /** Package id (canonical purl without version) → document path inside `dir`. */
  index: Map<string, string>;
  /** Index entries dropped as malformed. */
  dropped: number;
}

function readJson(file: string): unknown {
  try {
    if (statSync(file).size > MAX_FILE_BYTES) throw new Error('larger than 64 MiB');
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserInputError(file, `not a readable JSON file: ${errorMessage(error)}`);
  }
}

/**
 * The id a repository indexes a package by: its purl without version, qualifiers and subpath; OCI purls
 * keep `repository_url`, which tells images apart. Undefined for what is not a purl.
 */
export function vexPackageId(purl: string): string | undefined {
  let p: PackageURL;
  try {
    p = PackageURL.fromString(purl);
  } catch {
    return undefined;
  }
  const repo = p.type === 'oci' ? p.qualifiers?.repository_url : undefined;
  return new PackageURL(
    p.type,
    p.namespace,
    p.name,
    undefined,
    repo ? { repository_url: repo } : undefined,
    undefined,
  ).toString();
}

const numeric = (v: string) => v.split('.').map((n) => Number.parseInt(n, 10) || 0);
function compareSpec(a: string, b: string): number {
  const [x, y] = [numeric(a), numeric(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** One repository directory (with vex-repository.json): the newest supported spec version present locally. */
export function openVexRepository(root: string): VexRepository {
  const manifestFile = join(root, 'vex-repository.json');
  const manifest = Manifest.safeParse(readJson(manifestFile));
  if (!manifest.success)
    throw new UserInputError(manifestFile, 'not a VEX repository manifest (name, versions[].spec_version)');
  const versions = manifest.data.versions
    .map((v) => v.spec_version)
    .filter((v) => v.split('.')[0] === SUPPORTED_MAJOR && /^[\d.]+$/.test(v))
    .sort(compareSpec)
    .reverse();
  const version = versions.find((v) => existsSync(join(root, v, 'index.json')));
  if (!version)
    throw new UserInputError(
      manifestFile,
      `no downloaded spec version ${SUPPORTED_MAJOR}.x (<version>/index.json) of this repository`,
    );
  const dir = realpathSync(join(root, version));
  const indexFile = join(dir, 'index.json');
  const index = Index.safeParse(readJson(indexFile));
  if (!index.success) throw new UserInputError(indexFile, 'not a VEX repository index (packages[])');
  const map = new Map<string, string>();
  let dropped = 0;
  for (const raw of index.data.packages) {
    const entry = IndexEntry.safeParse(raw);
    const id = entry.success ? vexPackageId(entry.data.id) : undefined;
    if (!entry.success || !id) {
      dropped++;
      continue;
    }
    if (!map.has(id)) map.set(id, entry.data.location);
  }
  return { name: manifest.data.name ?? root, dir, index: map, dropped };
}

/** A repository, or a directory of repositories (`repositories/<name>/vex-repository.json`, by name). */
export function openVexRepositories(dir: string): VexRepository[] {
  if (existsSync(join(dir, 'vex-repository.json'))) return [openVexRepository(dir)];
  const parent = existsSync(join(dir, 'repositories')) ? join(dir, 'repositories') : dir;
  let names: string[] = [];
  try {
    names = readdirSync(parent).sort();
  } catch (error) {
    throw new UserInputError(dir, `not a VEX repository directory: ${errorMessage(error)}`);
  }
  const repos = names
    .filter((n) => existsSync(join(parent, n, 'vex-repository.json')))
    .map((n) => openVexRepository(join(parent, n)));
  if (repos.length === 0)
    throw new UserInputError(dir, 'no vex-repository.json here, nor in repositories/<name>/');
  return repos;
}

/** The document an index entry points to, which must stay inside the repository directory. */
function documentPath(repo: VexRepository, location: string): string {
  const file = resolve(repo.dir, location);
  const real = existsSync(file) ? realpathSync(file) : file;
  const rel = relative(repo.dir, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    throw new UserInputError(location, `VEX document outside the repository ${repo.name}`);
  if (!existsSync(real)) throw new UserInputError(file, `VEX document of repository ${repo.name} is missing`);
  return real;
}

/**
 * The statements of the documents the repositories hold for these packages (purls of the packages and of the
 * artifact's own components). The first repository that indexes a package is the one read for it.
 */
export function repositoryVex(repos: readonly VexRepository[], purls: Iterable<string>): VexStatement[] {
  const wanted = new Set<string>();
  for (const purl of purls) {
    const id = vexPackageId(purl);
    if (id) wanted.add(id);
  }
  const files = new Map<string, string>();
  for (const id of [...wanted].sort()) {
    const repo = repos.find((r) => r.index.has(id));
    if (!repo) continue;
    const location = repo.index.get(id)!;
    const file = documentPath(repo, location);
    files.set(file, `${repo.name}: ${location.replace(/^\.\//, '')}`);
  }
  return [...files].flatMap(([file, name]) => parseVex(readJson(file), name));
}
