import { compareText } from '../core/collate.js';
import { errorMessage } from '../core/errors.js';
import { isOsPackageType } from '../core/results.js';
import { type BaseHint, baseHint } from '../image/base-layers.js';
import { walkDir } from '../image/dir.js';
import type { FileInfo, FileView, Skipped, Want } from '../image/file-view.js';
import { type WalkOptions, walkLayers } from '../image/layer-walk.js';
import { openImage } from '../image/open.js';
import { formatTarget, parseTarget, type Target } from '../image/reference.js';
import type { ImageSource, OpenOptions } from '../image/types.js';
import { CATALOGERS } from './catalogers/index.js';
import { detectOs, OS_FILES } from './os.js';
import { bothTaps, osPackageLayers } from './os-layers.js';
import {
  DEFAULT_DETECTION_PRIORITY,
  type DetectionPriority,
  osOwnedFiles,
  ownerListWant,
} from './os-owned.js';
import { buildPurl, distroQualifier, osNamespace } from './purl.js';
import { type SkipOptions, skipMatcher } from './skip.js';
import type { Cataloger, Found, OsInfo, Package, PurlType } from './types.js';
import { isUnresolvedVersion } from './version-resolved.js';

/** The line that says what `precise` left out, or undefined when it left out nothing. */
export function osOwnedNotice(result: Pick<CatalogResult, 'osOwned'>): string | undefined {
  if (result.osOwned === 0) return undefined;
  const n = result.osOwned;
  return `${n} language package${n === 1 ? '' : 's'} installed by OS packages left out (--detection-priority comprehensive lists ${n === 1 ? 'it' : 'them'})`;
}

/** Catalogers whose packages are declared, not installed: they yield to an installed copy of the same package. */
const declared = (c: Cataloger): boolean => c.kind === 'lock' || c.kind === 'manifest';

export interface Artifact {
  name: string;
  transport: string;
  digest?: string;
  manifestDigest?: string;
  repoTags?: string[];
  repoDigests?: string[];
  os?: OsInfo;
  architecture?: string;
  layers?: string[];
  /** The instruction that created each layer (image history without empty layers), aligned with `layers`. */
  layerCommands?: string[];
  /** purls of the artifact's own components (a go.mod `module`): the products VEX statements name. */
  components?: string[];
  /** The image it was built on, from the OCI base labels and the history. */
  base?: BaseHint;
}

export interface CatalogResult {
  artifact: Artifact;
  packages: Package[];
  skipped: Skipped[];
  /** The detection priority the catalog applied. */
  detectionPriority: DetectionPriority;
  /** Language packages left out because an OS package installed their file (`precise` only). */
  osOwned: number;
}

export interface CatalogOptions extends OpenOptions, WalkOptions, SkipOptions {
  catalogers?: readonly Cataloger[];
  /** `precise` (default) leaves out language packages whose file an OS package installed. */
  detectionPriority?: DetectionPriority;
}

/** Whether the catalog must tell OS-installed files apart: precise, with some language cataloger to filter. */
const filtersOwned = (catalogers: readonly Cataloger[], priority: DetectionPriority) =>
  priority === 'precise' && catalogers.some((c) => c.kind !== 'os');

/** The union of what the catalogers (and OS detection, and, when precise, the OS packages' file lists) want. */
export function wantsOf(
  catalogers: readonly Cataloger[],
  priority: DetectionPriority = DEFAULT_DETECTION_PRIORITY,
) {
  const osFiles = new Set<string>(OS_FILES);
  const owners = filtersOwned(catalogers, priority);
  return (path: string, info: FileInfo): Want | undefined => {
    if (osFiles.has(path)) return { maxBytes: 1 << 20 };
    let best: Want | undefined = owners ? ownerListWant(path) : undefined;
    for (const c of catalogers) {
      const w = c.wants(path, info);
      if (w && (!best || w.probe || w.maxBytes > best.maxBytes)) best = w;
      if (best?.probe) break;
    }
    return best;
  };
}

function namespaceFor(
  type: PurlType,
  f: Found,
  os: OsInfo | undefined,
): { namespace?: string; name: string } {
  // a part of a package (`Firebase/Core` with subpath `Core`): the purl names the package, the subpath the part
  if (f.subpath && f.name.endsWith(`/${f.subpath}`)) return { name: f.name.slice(0, -f.subpath.length - 1) };
  if (f.namespace !== undefined) {
    let name = f.name;
    if (type === 'maven') name = name.slice(name.indexOf(':') + 1);
    else if (name.startsWith(`${f.namespace}/`)) name = name.slice(f.namespace.length + 1);
    return { namespace: f.namespace, name };
  }
  if (isOsPackageType(type)) return { namespace: osNamespace(os, type), name: f.name };
  if ((type === 'npm' && f.name.startsWith('@')) || type === 'composer' || type === 'golang') {
    const i = f.name.lastIndexOf('/');
    if (i > 0) return { namespace: f.name.slice(0, i), name: f.name.slice(i + 1) };
  }
  return { name: f.name };
}

/** Turn what catalogers found in a view into packages with purls and layer attribution. */
export function catalogView(
  view: FileView,
  layers: readonly string[],
  catalogers: readonly Cataloger[] = CATALOGERS,
  options: { directory?: boolean; detectionPriority?: DetectionPriority } = {},
): { os: OsInfo | undefined; packages: Package[]; components: string[]; osOwned: number } {
  const os = detectOs(view);
  const priority = options.detectionPriority ?? DEFAULT_DETECTION_PRIORITY;
  // precise: what an OS package installed is the distribution's to advise on, not a language package of its own
  const owned = filtersOwned(catalogers, priority) ? osOwnedFiles(view) : undefined;
  let osOwned = 0;
  const components = new Set<string>();
  // a directory with no OS in it is a source tree; an image or a root file system is installed software
  const ctx = { os, view, source: options.directory === true && os === undefined };
  const installed: Package[] = [];
  const locked: Package[] = [];
  for (const [path, entry] of view.files()) {
    for (const c of catalogers) {
      if (!c.wants(path, { size: entry.size, mode: entry.mode })) continue;
      const ownedByOs = c.kind !== 'os' && owned?.has(path) === true;
      let found: Found[];
      try {
        found = c.parse({ path, content: entry.content! }, ctx);
      } catch (error) {
        view.skipped.push({ path: `/${path}`, reason: `${c.name}: ${errorMessage(error)}` });
        continue;
      }
      for (const f of found) {
        const type = f.type ?? c.type;
        const { namespace, name } = namespaceFor(type, f, os);
        // deb and rpm purls carry the epoch as a qualifier, not in the version
        const epoch = type === 'deb' || type === 'rpm' ? /^(\d+):/.exec(f.version)?.[1] : undefined;
        const qualifiers = isOsPackageType(type)
          ? {
              ...f.qualifiers,
              distro: distroQualifier(os, type),
              ...(epoch && epoch !== '0' ? { epoch } : {}),
            }
          : f.qualifiers;
        const unresolved = isUnresolvedVersion(f.version);
        // a range is no version of the package: its purl names the package alone
        const purl = buildPurl(
          type,
          namespace,
          name,
          unresolved ? undefined : epoch ? f.version.slice(epoch.length + 1) : f.version,
          qualifiers,
          f.subpath,
        );
        if (f.own) {
          components.add(purl);
          continue;
        }
        if (ownedByOs) {
          osOwned++;
          continue;
        }
        const pkg: Package = {
          name: f.name,
          version: f.version,
          type,
          purl,
          ...(f.sourceName ? { sourceName: f.sourceName } : {}),
          ...(f.sourceVersion ? { sourceVersion: f.sourceVersion } : {}),
          ...(layers[entry.layer] ? { layer: layers[entry.layer] } : {}),
          path: f.path ?? `/${path}`,
          ...(f.licenses?.length ? { licenses: f.licenses } : {}),
          ...(unresolved ? { unresolved: true as const } : {}),
        };
        (declared(c) ? locked : installed).push(pkg);
      }
    }
  }
  // a lock file only adds what is not installed anywhere
  const seen = new Set(installed.map((p) => p.purl));
  const lockSeen = new Set<string>();
  const packages = [...installed];
  for (const p of locked) {
    if (seen.has(p.purl) || lockSeen.has(`${p.purl} ${p.path}`)) continue;
    lockSeen.add(`${p.purl} ${p.path}`);
    packages.push(p);
  }
  packages.sort(
    (a, b) =>
      compareText(a.type, b.type) ||
      compareText(a.name, b.name) ||
      compareText(a.version, b.version) ||
      compareText(a.path ?? '', b.path ?? ''),
  );
  return { os, packages, components: [...components].sort(), osOwned };
}

function layerCommands(source: ImageSource, layers: number): { layerCommands?: string[] } {
  const made = (source.config.history ?? []).filter((h) => !h.empty_layer);
  if (made.length !== layers) return {};
  return {
    layerCommands: made.map((h) => (h.created_by ?? '').replace(/^\/bin\/sh -c (#\(nop\) )?/, '').trim()),
  };
}

/**
 * Catalog an image from any transport (or a root file system): stream each layer once into a view of the
 * wanted files, detect the OS, run the catalogers. The scanner consumes this.
 */
export async function catalogImage(
  target: string | Target,
  options: CatalogOptions = {},
): Promise<CatalogResult> {
  const t = typeof target === 'string' ? parseTarget(target) : target;
  const catalogers = options.catalogers ?? CATALOGERS;
  const detectionPriority = options.detectionPriority ?? DEFAULT_DETECTION_PRIORITY;
  const wanted = wantsOf(catalogers, detectionPriority);
  const skipped = skipMatcher(options, t.transport === 'dir' ? t.path : undefined);
  const wants: typeof wanted = skipped
    ? (path, info) => (skipped(path) ? undefined : wanted(path, info))
    : wanted;
  if (t.transport === 'dir') {
    const view = await walkDir(t.path, wants, options.tap);
    const { os, packages, components, osOwned } = catalogView(view, [], catalogers, {
      directory: true,
      detectionPriority,
    });
    return {
      artifact: {
        name: formatTarget(t),
        transport: 'dir',
        ...(os ? { os } : {}),
        ...(components.length ? { components } : {}),
      },
      packages,
      skipped: view.skipped,
      detectionPriority,
      osOwned,
    };
  }
  const source: ImageSource = await openImage(t, options);
  try {
    const osLayers = osPackageLayers(catalogers);
    const view = await walkLayers(source, wants, { ...options, tap: bothTaps(options.tap, osLayers.tap) });
    const layerIds = source.layers.map((l) => l.diffId ?? l.digest);
    const catalog = catalogView(view, layerIds, catalogers, { detectionPriority });
    const { os, components, osOwned } = catalog;
    const packages = osLayers.attribute(catalog.packages, layerIds);
    const base = baseHint(source.config, layerIds.length);
    return {
      artifact: {
        name: formatTarget(t),
        transport: source.transport,
        digest: source.digest,
        ...(source.manifestDigest ? { manifestDigest: source.manifestDigest } : {}),
        repoTags: source.repoTags,
        ...(source.repoDigests?.length ? { repoDigests: source.repoDigests } : {}),
        ...(os ? { os } : {}),
        ...(source.config.architecture ? { architecture: source.config.architecture } : {}),
        layers: layerIds,
        ...layerCommands(source, layerIds.length),
        ...(components.length ? { components } : {}),
        ...(base ? { base } : {}),
      },
      packages,
      skipped: view.skipped,
      detectionPriority,
      osOwned,
    };
  } finally {
    await source.close();
  }
}
