import { readFileSync } from 'node:fs';
import picomatch from 'picomatch';
import { parse } from 'yaml';
import { z } from 'zod';
import { errorMessage, UserInputError } from '../core/errors.js';
import { type ExceptionBase, exceptionState, parseExpiry } from '../core/exceptions.js';
import type { VulnerabilityFinding } from '../core/results.js';
import { describeIssue } from '../core/schema-issue.js';

/** One `.bulkheadignore` entry: a vulnerability id, optionally scoped to a package, purl or path. */
export interface IgnoreEntry extends ExceptionBase {
  /** Package name the entry is limited to. */
  package?: string;
  /** purl (without version: any version) the entry is limited to. */
  purl?: string;
  /** Glob of the path the package was found at. */
  path?: string;
}

const entry = z.strictObject({
  id: z.string().min(1),
  reason: z.string().min(1, 'a reason is required'),
  by: z.string().optional(),
  expires: z.union([z.string(), z.date()]).optional(),
  package: z.string().optional(),
  purl: z.string().optional(),
  path: z.string().optional(),
});
const ignoreFile = z.strictObject({ ignore: z.array(entry).nullable().default([]) });

/**
 * Read an ignore file (YAML): `ignore: [{id, reason, by?, expires?, package?, purl?, path?}]` (a bare list is
 * accepted too). A malformed file, a missing reason or a bad date is an input error naming the file.
 */
export function loadIgnoreFile(file: string): IgnoreEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserInputError(file, `cannot read the ignore file: ${errorMessage(error)}`);
  }
  return parseIgnoreFile(text, file);
}

export function parseIgnoreFile(text: string, name: string): IgnoreEntry[] {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new UserInputError(name, `not valid YAML: ${errorMessage(error).split('\n')[0]}`);
  }
  // an empty file ignores nothing; a bare list is read as `ignore:`
  const parsed = ignoreFile.safeParse(
    doc === null || doc === undefined ? {} : Array.isArray(doc) ? { ignore: doc } : doc,
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserInputError(name, issue ? describeIssue(issue) : 'not an ignore file');
  }
  const list = parsed.data.ignore ?? [];
  return list.map((e, i) => {
    const expires = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : e.expires;
    if (expires !== undefined) {
      try {
        parseExpiry(expires);
      } catch (error) {
        throw new UserInputError(name, `ignore[${i}].expires: ${errorMessage(error)}`);
      }
    }
    const { expires: _e, ...rest } = e;
    return { ...rest, ...(expires !== undefined ? { expires } : {}) };
  });
}

function purlBase(purl: string): string {
  return purl.replace(/[?#].*$/, '').replace(/@[^/]*$/, '');
}

/** Whether an entry's id and scope cover a finding (ids match the finding's id or any alias). */
export function ignoreCovers(e: IgnoreEntry, f: VulnerabilityFinding): boolean {
  if (e.id !== f.id && !f.aliases.includes(e.id)) return false;
  if (e.package && e.package !== f.package.name && e.package !== f.package.sourceName) return false;
  if (e.purl) {
    const wantsVersion = /@[^/]*$/.test(e.purl.replace(/[?#].*$/, ''));
    if (
      wantsVersion
        ? e.purl.replace(/[?#].*$/, '') !== f.package.purl.replace(/[?#].*$/, '')
        : purlBase(e.purl) !== purlBase(f.package.purl)
    )
      return false;
  }
  if (e.path) {
    if (!f.path || !picomatch(e.path.replace(/^\//, ''), { dot: true })(f.path.replace(/^\//, '')))
      return false;
  }
  return true;
}

export { exceptionState };
