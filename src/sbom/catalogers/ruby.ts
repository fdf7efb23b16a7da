import { baseOf } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

/** `s.name = "rake".freeze` / `s.version = "13.0.6"` in an installed gemspec. */
function gemspec(text: string): Found[] {
  const name = /\.name\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  const version = /\.version\s*=\s*(?:Gem::Version\.new\()?["']([^"']+)["']/.exec(text)?.[1];
  if (!name || !version) return [];
  const lic = /\.licenses?\s*=\s*\[?\s*["']([^"']+)["']/.exec(text)?.[1];
  return [{ name, version, ...(lic ? { licenses: [lic] } : {}) }];
}

/** Gemfile.lock `specs:` entries (`    name (1.2.3)` at four spaces). */
function gemfileLock(text: string): Found[] {
  const out: Found[] = [];
  let inSpecs = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^ {2}specs:/.test(line)) {
      inSpecs = true;
      continue;
    }
    if (!line.startsWith('  ')) inSpecs = false;
    const m = inSpecs ? /^ {4}([^\s(]+) \(([^)]+)\)$/.exec(line) : null;
    if (m)
      out.push({ name: m[1]!, version: m[2]!.replace(/-(?:x86|arm|aarch|universal|java|x64|mingw).*$/, '') });
  }
  return out;
}

/** Ruby: installed gemspecs (`specifications/*.gemspec`) and Gemfile.lock. */
export const ruby: Cataloger = {
  name: 'ruby',
  kind: 'installed',
  version: 1,
  type: 'gem',
  wants: (path) =>
    /(?:^|\/)specifications\/(?:default\/)?[^/]+\.gemspec$/.test(path) || /(?:^|\/)Gemfile\.lock$/.test(path)
      ? { maxBytes: 8 * MiB }
      : undefined,
  parse(file) {
    const text = file.content.toString('utf8');
    return baseOf(file.path) === 'Gemfile.lock' ? gemfileLock(text) : gemspec(text);
  },
};
