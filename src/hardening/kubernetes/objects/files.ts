import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { classifyFsError } from '../../../core/fs-errors.js';
import { readInputText } from '../../../core/input-file.js';
import type { ObjectInput } from './types.js';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** Larger manifest files are refused rather than parsed into memory. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Read manifest inputs: files (any extension), directories (recursively, *.yaml|*.yml|*.json, sorted),
 * `-` for stdin. A missing path is a UserInputError naming it.
 */
export function readInputs(
  paths: readonly string[],
  readStdin: () => string = () =>
    readInputText('-', { stdin: true, maxBytes: MAX_FILE_BYTES, what: 'Kubernetes manifests' }),
): ObjectInput[] {
  const inputs: ObjectInput[] = [];
  for (const path of paths) {
    if (path === '-') {
      inputs.push({ name: '-', text: readStdin() });
      continue;
    }
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch (error) {
      throw classifyFsError(error, path);
    }
    if (stat.isDirectory()) for (const file of walk(path)) inputs.push(readOne(file));
    else inputs.push(readOne(path));
  }
  return inputs;
}

function readOne(file: string): ObjectInput {
  return {
    name: file,
    text: readInputText(file, { maxBytes: MAX_FILE_BYTES, what: 'Kubernetes manifests' }),
  };
}

/** Manifest files under a directory, depth first, sorted by name; symlinked directories are not followed. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile() && EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(full);
  }
  return out;
}
