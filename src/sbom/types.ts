import type { PackageType } from '../core/results.js';
import type { FileInfo, FileView, Want } from '../image/file-view.js';

/** The purl types Bulkhead catalogs: core's `PACKAGE_TYPES` under the name the catalog code reads them by. */
export { PACKAGE_TYPES as PURL_TYPES } from '../core/results.js';
export type PurlType = PackageType;

/** Operating system of an image. `version` is the release advisories are keyed by (Debian 10.1 → 10). */
export interface OsInfo {
  family: string;
  version: string;
  codename?: string;
  /** The full version as the image states it (10.1, 3.10.2, 7.6.1810). */
  fullVersion?: string;
}

/** One installed package (the PackageList contract). */
export interface Package {
  name: string;
  version: string;
  type: PurlType;
  purl: string;
  sourceName?: string;
  sourceVersion?: string;
  /** Digest (diff id) of the layer that last wrote the file the package was found in. */
  layer?: string;
  /** Where it was found, with a leading slash. */
  path?: string;
  licenses?: string[];
  /** The version is a wildcard or range as the manifest wrote it (version-resolved.ts): listed, never matched. */
  unresolved?: true;
}

/** What a cataloger reports; purl and layer are filled in by the catalog. */
export interface Found {
  name: string;
  version: string;
  sourceName?: string;
  sourceVersion?: string;
  licenses?: string[];
  /** purl parts: namespace (Maven group, Go module path prefix, npm scope…), qualifiers. */
  namespace?: string;
  qualifiers?: Record<string, string>;
  /** purl subpath: a part of a package (a CocoaPods subspec); a name ending in `/<subpath>` is the package without it. */
  subpath?: string;
  /** Overrides the cataloger's type (one cataloger may report several ecosystems). */
  type?: PurlType;
  /** Overrides the path of the file (nested archives). */
  path?: string;
  /** The project's own module (go.mod `module`), not a dependency: named in `components`, not a package. */
  own?: boolean;
}

export interface CatalogFile {
  path: string;
  content: Buffer;
}

export interface CatalogContext {
  os: OsInfo | undefined;
  view: FileView;
  /**
   * A source tree: a directory that is no root file system (no OS found in it). Manifests of code still to be
   * built (go.mod) describe its dependencies there; in an image or a root file system they are source left in
   * it (Go's own tree, `testdata`), not installed code, whose modules the binaries report.
   */
  source: boolean;
}

/**
 * Where a cataloger's packages come from. `os`: the distribution's package database; `installed`: metadata an
 * ecosystem's installer leaves next to the files (a cataloger that also reads lock files, as composer and ruby
 * do, counts here); `binary`: read out of built executables; `lock`: a lock file; `manifest`: a project file
 * that names versions (go.mod, pom.xml). Lock and manifest entries only add what nothing installed reports.
 */
export const CATALOGER_KINDS = ['os', 'installed', 'binary', 'lock', 'manifest'] as const;
export type CatalogerKind = (typeof CATALOGER_KINDS)[number];

/** A cataloger: `{ name, wants(path), parse(file) }` (ARCHITECTURE.md). One file each in catalogers/. */
export interface Cataloger {
  name: string;
  kind: CatalogerKind;
  /** Raised when the parsing logic changes, so packages can say which logic found them. */
  version: number;
  type: PurlType;
  wants(path: string, info: FileInfo): Want | undefined;
  parse(file: CatalogFile, ctx: CatalogContext): Found[];
}

export const MiB = 1 << 20;
