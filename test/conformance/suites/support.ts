import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { loadObjects } from '../../../src/hardening/kubernetes/objects/load.js';
import type { LoadedObject } from '../../../src/hardening/kubernetes/objects/types.js';

/** Files under `dir` (recursive, sorted) whose name passes `want`. */
export function filesUnder(dir: string, want: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, want));
    else if (want(name)) out.push(full);
  }
  return out;
}

/** Objects of one manifest file (errors are part of the verdict: a file that does not load gives no objects). */
export function objectsOf(file: string): LoadedObject[] {
  return loadObjects([{ name: file, text: readFileSync(file, 'utf8') }]).objects;
}

export function yamlFile<T = unknown>(file: string): T {
  return parse(readFileSync(file, 'utf8')) as T;
}

export function rel(root: string, file: string): string {
  return relative(root, file);
}
