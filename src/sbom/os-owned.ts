import type { FileView, Want } from '../image/file-view.js';
import { RPMDB_FILES, rpmdbBlobs } from './catalogers/rpm.js';
import { forEachRpmFile } from './rpm/header.js';
import { MiB } from './types.js';

/**
 * How much the catalog reports (Trivy's `--detection-priority`). `precise`: a language package whose file an OS
 * package installed is left out, since the distribution's advisories cover it (and its version is the
 * distribution's, which language advisories would misjudge); `comprehensive`: it is reported too.
 */
export const DETECTION_PRIORITIES = ['precise', 'comprehensive'] as const;
export type DetectionPriority = (typeof DETECTION_PRIORITIES)[number];
export const DEFAULT_DETECTION_PRIORITY: DetectionPriority = 'precise';

const APK_INSTALLED = 'lib/apk/db/installed';
/** dpkg's per-package file list: one absolute path a line, `/.` first. */
const DPKG_LIST = /^var\/lib\/dpkg\/info\/[^/]+\.list$/;
/** Distroless keeps no info/*.list; its status.d/<pkg>.md5sums names the files: `<md5>  <path>` a line. */
const DPKG_MD5SUMS = /^var\/lib\/dpkg\/status\.d\/[^/]+\.md5sums$/;

/** The package managers' file lists the catalog reads to tell which files OS packages installed. */
export function ownerListWant(path: string): Want | undefined {
  if (path === APK_INSTALLED) return { maxBytes: 64 * MiB };
  if (RPMDB_FILES.has(path)) return { maxBytes: 512 * MiB };
  if (DPKG_LIST.test(path) || DPKG_MD5SUMS.test(path)) return { maxBytes: 16 * MiB };
  return undefined;
}

/** Each file an apk database names: `F:` sets the folder, each `R:` after it is a file in it. */
function apkFiles(text: string, mark: (path: string) => void): void {
  let folder = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('F:')) folder = line.slice(2).replace(/\/+$/, '');
    else if (line.startsWith('R:')) mark(folder ? `${folder}/${line.slice(2)}` : line.slice(2));
    else if (line === '' || line === '\r') folder = '';
  }
}

/** Each file the rpmdb's headers list; an rpmdb the rpm cataloger cannot read either gives none. */
function rpmFiles(data: Buffer, mark: (path: string) => void): void {
  let blobs: Buffer[];
  try {
    blobs = rpmdbBlobs(data);
  } catch {
    return; // the rpm cataloger names the file as skipped
  }
  for (const blob of blobs) forEachRpmFile(blob, mark);
}

/**
 * The files of `view` that an OS package installed, by dpkg's `info/*.list` (or distroless `status.d/*.md5sums`),
 * apk's `lib/apk/db/installed` and the rpmdb's file lists. Only paths the view holds are kept, so the set is as
 * small as what the catalogers read, whatever the size of the lists.
 */
export function osOwnedFiles(view: FileView): Set<string> {
  const owned = new Set<string>();
  const mark = (path: string) => {
    const rel = path.trim().replace(/^\.?\/+/, '');
    if (rel && view.entries.has(rel)) owned.add(rel);
  };
  for (const [path, entry] of view.files()) {
    if (path === APK_INSTALLED) apkFiles(entry.content!.toString('utf8'), mark);
    else if (RPMDB_FILES.has(path)) rpmFiles(entry.content!, mark);
    else if (DPKG_LIST.test(path)) for (const line of entry.content!.toString('utf8').split('\n')) mark(line);
    else if (DPKG_MD5SUMS.test(path))
      for (const line of entry.content!.toString('utf8').split('\n')) mark(line.replace(/^[0-9a-f]+\s+/, ''));
  }
  return owned;
}
