import { lstat, readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { errorMessage } from '../../../core/errors.js';
import { missing, ok, type Source } from '../types.js';
import type { HostFs } from './host-fs.js';
import type { ImageInspect } from './schema.js';

/** Stop walking a layer after this many entries (memory and time stay bounded on huge images). */
const MAX_ENTRIES_PER_LAYER = 500_000;

interface LayerListing {
  /** Every path in the layer (relative, leading slash). */
  paths: Set<string>;
  /** Paths deleted by this layer (overlay whiteouts: 0/0 character devices). */
  whiteouts: Set<string>;
  /** Regular files with setuid or setgid bits. */
  setid: string[];
}

async function walkLayer(dir: string): Promise<LayerListing> {
  const listing: LayerListing = { paths: new Set(), whiteouts: new Set(), setid: [] };
  const stack = ['/'];
  while (stack.length) {
    const rel = stack.pop()!;
    const entries = await readdir(posix.join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      const path = posix.join(rel, entry.name);
      if (listing.paths.size >= MAX_ENTRIES_PER_LAYER)
        throw new Error(`more than ${MAX_ENTRIES_PER_LAYER} entries`);
      listing.paths.add(path);
      if (entry.isDirectory()) stack.push(path);
      else if (entry.isCharacterDevice()) listing.whiteouts.add(path);
      else if (entry.isFile()) {
        const s = await lstat(posix.join(dir, path));
        if (s.mode & 0o6000)
          listing.setid.push(`${path} (${(s.mode & 0o7777).toString(8).padStart(4, '0')})`);
      }
    }
  }
  return listing;
}

/**
 * Files with setuid/setgid bits in an image, read from the overlay2 layer directories the daemon reports
 * (GraphDriver.Data). Upper layers hide lower ones: a file replaced or deleted above is not reported.
 */
export class ImageFileScanner {
  private readonly layers = new Map<string, Promise<LayerListing>>();

  constructor(private readonly fs: HostFs) {}

  async setidFiles(image: ImageInspect): Promise<Source<string[]>> {
    const { Name, Data } = image.GraphDriver;
    if (Name !== 'overlay2' && Name !== 'overlay')
      return missing(`storage driver ${Name || 'unknown'}: layer files are read for overlay2 only`);
    const dirs = [Data.UpperDir, ...(Data.LowerDir ?? '').split(':')].filter((d): d is string => !!d);
    try {
      const listings = await Promise.all(dirs.map((d) => this.layer(d)));
      const hidden = new Set<string>();
      const deleted = new Set<string>();
      const found: string[] = [];
      for (const layer of listings) {
        for (const entry of layer.setid) {
          const path = entry.replace(/ \(\d+\)$/, '');
          if (!hidden.has(path) && !underDeleted(deleted, path)) found.push(entry);
        }
        for (const p of layer.paths) hidden.add(p);
        for (const p of layer.whiteouts) deleted.add(p);
      }
      return ok(found.sort());
    } catch (error) {
      return missing(`image ${image.Id.slice(7, 19)} layers: ${errorMessage(error)}`);
    }
  }

  private layer(dir: string): Promise<LayerListing> {
    let listing = this.layers.get(dir);
    if (!listing) {
      listing = this.fs.resolve(dir).then(walkLayer);
      this.layers.set(dir, listing);
    }
    return listing;
  }
}

function underDeleted(deleted: Set<string>, path: string): boolean {
  // a whiteout of a directory hides everything below it
  for (let p = posix.dirname(path); p !== '/' && p !== '.'; p = posix.dirname(p))
    if (deleted.has(p)) return true;
  return false;
}
