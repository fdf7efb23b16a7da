// Trivy's own integration cases (integration/{standalone_tar,repo,sbom}_test.go) run through Bulkhead's scan
// code paths with Trivy's fixture advisory DB. Layout: DIR/cases.json + DIR/integration/testdata/**; inputs
// and the fixture DB fall back to the corpus copy when absent from DIR.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackageURL } from 'packageurl-js';
import type { VulnerabilityFinding } from '../../../src/core/results.js';
import { parseSeverityList, type Severity } from '../../../src/core/severity.js';
import { catalogImage } from '../../../src/sbom/catalog.js';
import { lockOptions } from '../../../src/sbom/catalogers/npm-lock.js';
import { DETECTION_PRIORITIES, type DetectionPriority } from '../../../src/sbom/os-owned.js';
import type { IgnoreEntry } from '../../../src/scan/ignore-file.js';
import { readSbom } from '../../../src/scan/sbom-input.js';
import { scanPackages } from '../../../src/scan/scan.js';
import type { ScanInput } from '../../../src/scan/types.js';
import { loadVex, type VexStatement } from '../../../src/scan/vex.js';
import { openVexRepositories, repositoryVex } from '../../../src/scan/vex-repository.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { writeRecords } from '../../../src/vulndb/store.js';
import { CORPUS_ROOT } from '../../corpus.js';
import {
  type Golden,
  goldenOs,
  goldenPackages,
  OS_RESULT_TYPES,
  RESULT_TYPES,
  readCases,
  readGolden,
  resolveIn,
  type TrivyCase,
  type Tuple,
} from '../trivy/cases.js';
import { loadTrivyFixtureDb } from '../trivy/fixture-db.js';
import type { CaseOutcome, ConformanceSuite, NotImplementedReason } from '../types.js';

const DEFAULT_DIR = join('images', 'peer-cases', 'trivy');
const DB_DIR = 'integration/testdata/fixtures/db';

function unquote(v: unknown): string | undefined {
  return typeof v === 'string' ? v.replace(/^"|"$/g, '') : undefined;
}

/** The strings of a Go `[]string{"a", "b"}` literal as cases.json keeps it. */
function goStrings(v: unknown): string[] {
  return typeof v === 'string' ? [...v.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!) : [];
}

function severitiesOf(v: unknown): Severity[] | undefined {
  if (v === undefined) return undefined;
  const words = Array.isArray(v) ? v.map(String) : (String(v).match(/[A-Z]+(?=")/g) ?? []);
  return words.length ? parseSeverityList(words.join(',')) : undefined;
}

/**
 * Trivy's `DetectionPriority: ftypes.PriorityComprehensive` (or `"comprehensive"` as a flag) as Bulkhead's word;
 * a value Bulkhead has no word for stops the case.
 */
export function detectionPriorityOf(v: unknown): DetectionPriority | undefined {
  if (v === undefined) return undefined;
  const word = String(v)
    .replace(/^"|"$/g, '')
    .replace(/^(?:ftypes|types)\.Priority/, '')
    .toLowerCase();
  const known = DETECTION_PRIORITIES.find((p) => p === word);
  if (!known)
    throw new Error(`DetectionPriority ${String(v)}: not one of ${DETECTION_PRIORITIES.join(', ')}`);
  return known;
}

const key = (t: Tuple, withFixed = true) =>
  [t.id, t.pkg, t.installed, withFixed ? t.fixed : '', t.severity, t.status].join(' | ');

/**
 * Trivy lists every patched version of a language advisory ("3.2.22.5, 4.2.2, 4.1.11"); Bulkhead names the
 * first fix above the installed version. They agree when Bulkhead's is one of Trivy's.
 */
function sameFix(ours: string, theirs: string): boolean {
  if (ours === theirs) return true;
  return (
    ours !== '' &&
    theirs
      .split(',')
      .map((s) => s.trim())
      .includes(ours)
  );
}

function ourTuples(findings: VulnerabilityFinding[], golden: Golden): Tuple[] {
  return findings.map((f) => ({
    id: f.id,
    pkg: f.package.name,
    installed: f.package.version,
    fixed: golden.format === 'cyclonedx' ? '' : (f.fixedVersion ?? ''),
    severity: golden.format === 'cyclonedx' ? '' : f.severity,
    status: golden.format === 'cyclonedx' ? '' : f.status,
  }));
}

/** Set comparison of (id, package, installed, fixed, severity, status). */
export function compareTuples(ours: Tuple[], theirs: Tuple[]): { missing: Tuple[]; extra: Tuple[] } {
  const left = [...new Map(ours.map((t) => [key(t), t])).values()];
  const right = [...new Map(theirs.map((t) => [key(t), t])).values()];
  const missing = right.filter(
    (g) => !left.some((o) => key(o, false) === key(g, false) && sameFix(o.fixed, g.fixed)),
  );
  const extra = left.filter(
    (o) => !right.some((g) => key(o, false) === key(g, false) && sameFix(o.fixed, g.fixed)),
  );
  return { missing, extra };
}

const show = (t: Tuple) =>
  `${t.id} ${t.pkg}@${t.installed}${t.fixed ? `→${t.fixed}` : ''} ${t.severity} ${t.status}`.trim();

/** Why a case cannot be run: a reason code the summary counts, and the sentence that says it. */
interface Missing {
  reason: NotImplementedReason;
  detail: string;
}
const cannotRun = (reason: NotImplementedReason, detail: string): Missing => ({ reason, detail });
/** A case that cannot run, with its reason code as the other suites give it. */
const notImplemented = (id: string, m: Missing): CaseOutcome => ({
  id,
  verdict: 'not-implemented',
  reason: m.reason,
  detail: m.detail,
});

interface Context {
  dir: string;
  fallback: string;
  store: Store;
  all: TrivyCase[];
  /** Scratch directory of this run. */
  home: string;
}

/** TestTarWithConfigFile writes the TestTar case's options into trivy.yaml; cases.json keeps them on the TestTar row. */
function effectiveArgs(c: TrivyCase, all: TrivyCase[]): Record<string, unknown> {
  if (Object.keys(c.args).length > 0 || !c.test.endsWith('TestTarWithConfigFile')) return c.args;
  return (
    all.find((o) => o.test.endsWith(':TestTar') && o.name === c.name && o.golden === c.golden)?.args ?? c.args
  );
}

async function input(c: TrivyCase, ctx: Context, golden: Golden): Promise<ScanInput | Missing> {
  if (c.kind === 'image') {
    if (!c.packagesGolden) {
      // the peer's own SBOM of the same test image (fixtures/sbom/<image>-cyclonedx.json) lists its packages
      const image = c.input
        .split('/')
        .pop()!
        .replace(/\.tar(\.gz)?$/, '');
      const sbom = resolveIn(
        ctx.dir,
        ctx.fallback,
        `integration/testdata/fixtures/sbom/${image}-cyclonedx.json`,
      );
      if (sbom) return { ...readSbom(sbom), target: c.input };
      return cannotRun(
        'image-absent',
        'the test image is not in the corpus and Trivy publishes neither a package golden nor an SBOM of it',
      );
    }
    const file = resolveIn(ctx.dir, ctx.fallback, c.packagesGolden);
    if (!file) return cannotRun('held-out', `package golden ${c.packagesGolden} is held out`);
    if (!golden.os) return cannotRun('golden-without-os', 'the golden names no OS');
    const os = goldenOs(golden.os);
    return { target: c.input, os, packages: goldenPackages(file, os) };
  }
  const path = resolveIn(ctx.dir, ctx.fallback, c.input);
  if (!path) return cannotRun('input-absent', `input ${c.input} is absent`);
  if (c.kind === 'sbom') return readSbom(path);
  const includeDev = c.args.includeDevDeps === 'true';
  lockOptions.includeDev = includeDev;
  try {
    // skipFiles/skipDirs name paths as Trivy's test sees them (under testdata/…): relative to the input here
    const root = `${unquote(c.args.input) ?? ''}/`;
    const relative = (paths: string[]) => paths.map((p) => (p.startsWith(root) ? p.slice(root.length) : p));
    const detectionPriority = detectionPriorityOf(c.args.DetectionPriority ?? c.args.detectionPriority);
    const r = await catalogImage(`dir:${path}`, {
      ...(detectionPriority ? { detectionPriority } : {}),
      skipFiles: relative(goStrings(c.args.skipFiles)),
      skipDirs: relative(goStrings(c.args.skipDirs)),
    });
    return {
      target: c.input,
      ...(r.artifact.os ? { os: r.artifact.os } : {}),
      ...(r.artifact.components ? { components: r.artifact.components } : {}),
      packages: r.packages,
    };
  } finally {
    lockOptions.includeDev = false;
  }
}

/** A copy of a directory tree whose directories are writable (the corpus is read-only). */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    if (statSync(src).isDirectory()) copyTree(src, join(to, name));
    else copyFileSync(src, join(to, name));
  }
}

const VEX_FIXTURES = 'integration/testdata/fixtures/vex';

/**
 * The case's VEX statements: a VEX file, or `repo` — the peer's test installs its repository fixture
 * (repositories/default with its manifest and 0.1/index.json) and puts file/openvex.json in it as
 * 0.1/openvex.json; Bulkhead reads that directory as `--vex repo:DIR` does.
 */
function caseVex(vex: string | undefined, ctx: Context, got: ScanInput): VexStatement[] | Missing {
  if (!vex) return [];
  if (vex === 'repo') {
    const repos = resolveIn(ctx.dir, ctx.fallback, `${VEX_FIXTURES}/repositories`);
    const doc = resolveIn(ctx.dir, ctx.fallback, `${VEX_FIXTURES}/file/openvex.json`);
    if (!repos || !doc) return cannotRun('vex-absent', 'the VEX repository fixture is absent');
    const dir = join(ctx.home, 'vex');
    rmSync(dir, { recursive: true, force: true });
    copyTree(repos, join(dir, 'repositories'));
    copyFileSync(doc, join(dir, 'repositories', 'default', '0.1', 'openvex.json'));
    return repositoryVex(openVexRepositories(dir), [
      ...(got.components ?? []),
      ...got.packages.map((p) => p.purl),
    ]);
  }
  const path = resolveIn(ctx.dir, ctx.fallback, join('integration', vex));
  return path ? loadVex(path) : cannotRun('vex-absent', `VEX input ${vex} is absent`);
}

const canonical = (purl: string): string => {
  try {
    return PackageURL.fromString(purl).toString();
  } catch {
    return purl;
  }
};

/** An SBOM generation case: the peer's SBOM lists packages; Bulkhead's catalog must give the same purls. */
async function sbomCase(id: string, c: TrivyCase, ctx: Context, golden: Golden): Promise<CaseOutcome> {
  const theirs = new Set((golden.purls ?? []).map(canonical));
  if (theirs.size === 0) return notImplemented(id, cannotRun('golden-empty', 'the golden lists no packages'));
  const got = await input(c, ctx, golden);
  if ('reason' in got) return notImplemented(id, got);
  const ours = new Set(got.packages.map((p) => canonical(p.purl)));
  const missing = [...theirs].filter((p) => !ours.has(p));
  const extra = [...ours].filter((p) => !theirs.has(p));
  if (missing.length === 0 && extra.length === 0)
    return { id, verdict: 'passed', detail: `${theirs.size} packages agree` };
  return {
    id,
    verdict: 'failed',
    detail: [...missing.map((p) => `missing ${p}`), ...extra.map((p) => `extra ${p}`)].join('; '),
  };
}

async function runCase(c: TrivyCase, ctx: Context): Promise<CaseOutcome> {
  const id = `${c.test.split(':').pop()}: ${c.name}`;
  const goldenFile = resolveIn(ctx.dir, ctx.fallback, c.golden);
  if (!goldenFile) return notImplemented(id, cannotRun('golden-held-out', `golden ${c.golden} is held out`));
  const golden = readGolden(goldenFile);
  if (golden.format === 'sbom-only') return sbomCase(id, c, ctx, golden);
  const args = effectiveArgs(c, ctx.all);
  const got = await input(c, ctx, golden);
  if ('reason' in got) return notImplemented(id, got);
  const catalogued = new Set(got.packages.map((p) => p.type));
  const unsupported = golden.types.filter((t) => {
    if (OS_RESULT_TYPES.has(t)) return got.os?.family !== t && !catalogued.has(RESULT_TYPES[t]!);
    const purlType = RESULT_TYPES[t] ?? (golden.format === 'cyclonedx' ? t : undefined);
    return !purlType || !catalogued.has(purlType as never);
  });
  if (unsupported.length > 0)
    return notImplemented(
      id,
      cannotRun(
        'no-cataloger',
        `no Bulkhead cataloger gives the ${unsupported.join(', ')} packages of this case`,
      ),
    );
  const ignore: IgnoreEntry[] = (Array.isArray(args.IgnoreIDs) ? args.IgnoreIDs : []).map((x) => ({
    id: String(x),
    reason: 'peer case .trivyignore',
  }));
  const vex = caseVex(unquote(args.vex), ctx, got);
  if ('reason' in vex) return notImplemented(id, vex);
  const severities = severitiesOf(args.Severity);
  const result = await scanPackages(ctx.store.db, got, {
    ignoreUnfixed: String(args.IgnoreUnfixed) === 'true',
    ...(severities ? { severities } : {}),
    ignore,
    vex,
  });
  const { missing, extra } = compareTuples(ourTuples(result.vulnerabilities, golden), golden.tuples);
  if (missing.length === 0 && extra.length === 0)
    return { id, verdict: 'passed', detail: `${golden.tuples.length} findings agree` };
  return {
    id,
    verdict: 'failed',
    detail: [...missing.map((t) => `missing ${show(t)}`), ...extra.map((t) => `extra ${show(t)}`)].join('; '),
  };
}

export const trivy: ConformanceSuite = {
  name: 'trivy',
  description: "Trivy's integration cases (images by package golden, lock files, SBOMs) with its fixture DB",
  defaultDir: DEFAULT_DIR,
  async *run(dir: string): AsyncIterable<CaseOutcome> {
    const fallback = join(CORPUS_ROOT, DEFAULT_DIR);
    const dbDir = resolveIn(dir, fallback, DB_DIR);
    if (!dbDir) throw new Error(`${DB_DIR}: the fixture DB is in neither ${dir} nor ${fallback}`);
    const home = mkdtempSync(join(tmpdir(), 'bulkhead-trivy-'));
    const store = await openStore({ url: `sqlite:${join(home, 'trivy.db')}`, home });
    try {
      await writeRecords(store.db, loadTrivyFixtureDb(dbDir), 'trivy-fixture-db');
      const all = readCases(dir);
      for (const c of all) {
        try {
          yield await runCase(c, { dir, fallback, store, all, home });
        } catch (error) {
          yield {
            id: `${c.test.split(':').pop()}: ${c.name}`,
            verdict: 'failed',
            detail: `error: ${(error as Error).message}`,
          };
        }
      }
    } finally {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    }
  },
};
