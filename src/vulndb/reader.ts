import { lstatSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { Gunzip, unzipSync } from 'fflate';
import { FAILSAFE_SCHEMA, load as loadYaml } from 'js-yaml';
import { errorMessage, UserInputError } from '../core/errors.js';
import { classifyFsError } from '../core/fs-errors.js';
import { checkInputFile, readInputFile } from '../core/input-file.js';
import { BUNDLE_MANIFEST, bundleInputs } from './bundle.js';
import { bunzip2Bounded, isBzip2 } from './bzip2.js';
import type { FeedInput } from './feeds/index.js';

/** Largest single input file or archive entry, and the most an archive may expand to. */
export const LIMITS = {
  fileBytes: 512 * 1024 * 1024,
  archiveBytes: 2 * 1024 * 1024 * 1024,
  /**
   * YAML feeds (Alpine secdb): real ones are a few MB; the JSON form has no such limit below fileBytes. A 16 MB
   * secdb is read in about 1 s at a peak of about 230 MB (bench/limits).
   */
  yamlBytes: 16 * 1024 * 1024,
};

const DATA_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/** A file to read: given by the user (`explicit`), or found in a directory or archive. */
export interface SourceFile {
  path: string;
  explicit: boolean;
  /** What to call it and where its rows come from, when not the path (a downloaded feed: its URL). */
  name?: string;
  origin?: string;
}

export type ReadItem = { input: FeedInput } | { skipped: string; reason: string };

/** The files named by SOURCE arguments: files as given, directories walked in name order (dot-entries skipped). */
export function listSources(sources: readonly string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile()) out.push({ path, explicit: false });
    }
  };
  for (const s of sources) {
    const path = resolve(s);
    let st: ReturnType<typeof statSync>;
    try {
      // a path the user names may be a symbolic link; inside directories links are not followed
      st = statSync(path);
    } catch (error) {
      throw classifyFsError(error, s);
    }
    if (st.isDirectory()) walk(path);
    else {
      // a FIFO or device named as a feed is refused now, before anything is imported
      checkInputFile(s, { maxBytes: LIMITS.fileBytes, what: 'an advisory feed file' });
      out.push({ path, explicit: true });
    }
  }
  return out;
}

function isBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 65536);
  if (head.includes(0)) return true;
  try {
    // stream: a multi-byte character cut at the end of the sample is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: head.length < bytes.length });
    return false;
  } catch {
    return true;
  }
}

function gunzipBounded(name: string, bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const g = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > LIMITS.fileBytes)
      throw new UserInputError(name, `decompresses to more than ${LIMITS.fileBytes} bytes`);
    parts.push(chunk);
  });
  try {
    g.push(bytes, true);
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    throw new UserInputError(name, `corrupt gzip data: ${errorMessage(error)}`);
  }
  return Buffer.concat(parts);
}

/** "truncated" when the parser ran out of input (the error is at the very end), else "malformed". */
function truncatedOrMalformed(text: string, error: unknown): string {
  const message = errorMessage(error);
  if (/end of (JSON )?input|Unterminated/i.test(message)) return 'truncated';
  const at = /position (\d+)/.exec(message)?.[1];
  return at !== undefined && Number(at) >= text.trimEnd().length - 1 ? 'truncated' : 'malformed';
}

/** Parse one file's bytes into a feed input; null when a directory member is not feed data at all. */
export function toInput(
  name: string,
  origin: string,
  bytes: Uint8Array,
  explicit: boolean,
): FeedInput | null {
  const ext = extname(name.replace(/\.(gz|bz2)$/, '')).toLowerCase();
  const dataFile = DATA_EXTENSIONS.has(ext);
  if (bytes.length === 0) {
    if (explicit || dataFile) throw new UserInputError(name, 'empty file, not an advisory feed');
    return null;
  }
  if (bytes.length > LIMITS.fileBytes)
    throw new UserInputError(name, `larger than ${LIMITS.fileBytes} bytes`);
  if (isBinary(bytes)) {
    if (explicit || dataFile) throw new UserInputError(name, 'binary data, not an advisory feed');
    return null;
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  if (ext === '.json') {
    try {
      return { name, origin, kind: 'json', text, doc: JSON.parse(text) };
    } catch (error) {
      throw new UserInputError(name, `${truncatedOrMalformed(text, error)} JSON: ${errorMessage(error)}`);
    }
  }
  if (ext === '.yaml' || ext === '.yml') {
    if (bytes.length > LIMITS.yamlBytes)
      throw new UserInputError(
        name,
        `YAML feed of ${bytes.length} bytes, larger than the limit of ${LIMITS.yamlBytes}: import its JSON form`,
      );
    return { name, origin, kind: 'yaml', text, doc: parseYamlFeed(name, text) };
  }
  const first = text.trimStart()[0];
  if (first === '{' || (first === '[' && /^\s*\[\s*[{\]"]/.test(text))) {
    try {
      return { name, origin, kind: 'json', text, doc: JSON.parse(text) };
    } catch (error) {
      if (explicit) throw new UserInputError(name, `malformed JSON: ${errorMessage(error)}`);
    }
  }
  return { name, origin, kind: 'text', text, doc: undefined, explicit };
}

/** Entries of an OSV-style zip (or a Bulkhead bundle) as inputs, bounded in size. */
function zipItems(name: string, origin: string, bytes: Uint8Array, options: ReadOptions): ReadItem[] {
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/')) return false;
        total += f.originalSize;
        if (f.originalSize > LIMITS.fileBytes || total > LIMITS.archiveBytes)
          throw new UserInputError(name, `archive expands beyond ${LIMITS.archiveBytes} bytes`);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    throw new UserInputError(name, `corrupt zip archive: ${errorMessage(error)}`);
  }
  if (BUNDLE_MANIFEST in files)
    return bundleInputs(name, files, options.publicKeyPem).map((input) => ({ input }));
  if (options.publicKeyPem)
    throw new UserInputError(name, 'not a signed Bulkhead bundle (a public key was given)');
  const items: ReadItem[] = [];
  for (const entry of Object.keys(files).sort()) {
    const entryName = `${name}!${entry}`;
    const input = toInput(entryName, `${origin}!${entry}`, files[entry]!, false);
    items.push(input ? { input } : { skipped: entryName, reason: 'not feed data' });
  }
  return items;
}

/** Read one source file into inputs (an archive gives several). */
export interface ReadOptions {
  /** Bundles must carry a signature that matches this PEM public key (and nothing else is accepted). */
  publicKeyPem?: string;
}

export function readSource(file: SourceFile, options: ReadOptions = {}): ReadItem[] {
  let bytes: Uint8Array;
  try {
    // the size limit is checked before a byte is read
    bytes = readInputFile(file.path, { maxBytes: LIMITS.fileBytes, what: 'an advisory feed file' });
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    throw new UserInputError(file.path, `cannot read: ${errorMessage(error)}`);
  }
  const name = file.name ?? file.path;
  const origin = file.origin ?? file.path;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    return zipItems(name, origin, bytes, options);
  if (options.publicKeyPem)
    throw new UserInputError(name, 'not a signed Bulkhead bundle (a public key was given)');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipBounded(name, bytes);
  else if (isBzip2(bytes)) bytes = bunzip2Bounded(name, bytes, LIMITS.fileBytes);
  const input = toInput(name, origin, bytes, file.explicit);
  return [input ? { input } : { skipped: name, reason: 'not feed data' }];
}

/**
 * One YAML feed document. js-yaml builds the values directly: a 16 MB secdb takes about 230 MB and 1 s, where a
 * parser that keeps a syntax tree (the `yaml` package, used for manifests, whose positions it reports) took 1.5 GB
 * and 10 s. The failsafe schema keeps every scalar a string, so versions such as 1.10 are not read as numbers. An
 * anchor makes one value reachable from several places, and every walk of the feed would follow each of them
 * (nine levels of nine aliases are 387 million values): no feed uses one, so a feed with an alias is refused.
 */
function parseYamlFeed(name: string, text: string): unknown {
  let doc: unknown;
  try {
    doc = loadYaml(text, { schema: FAILSAFE_SCHEMA, filename: name });
  } catch (error) {
    throw new UserInputError(name, `malformed YAML: ${errorMessage(error).split('\n')[0]}`);
  }
  if (hasSharedValue(doc))
    throw new UserInputError(
      name,
      'malformed YAML: an alias (*name) repeats a value; a feed may not use aliases',
    );
  return doc;
}

/** Whether some object or array is reachable twice: the mark of a YAML alias (values are otherwise a tree). */
function hasSharedValue(root: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (seen.has(value)) return true;
    seen.add(value);
    if (Array.isArray(value)) for (const item of value) stack.push(item);
    else for (const key in value) stack.push((value as Record<string, unknown>)[key]);
  }
  return false;
}
