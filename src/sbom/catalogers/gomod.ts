import { sibling } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

interface GoMod {
  module?: string;
  go?: string;
  requires: Map<string, string>;
  replaces: Map<string, { path: string; version?: string }>;
}

function stripComment(line: string): string {
  const i = line.indexOf('//');
  return (i >= 0 ? line.slice(0, i) : line).trim();
}

export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { requires: new Map(), replaces: new Map() };
  let block: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = stripComment(raw);
    if (!line) continue;
    if (block) {
      if (line === ')') {
        block = undefined;
        continue;
      }
    }
    let directive = block;
    let rest = line;
    if (!block) {
      const m = /^(\w+)\s*(.*)$/.exec(line);
      if (!m) continue;
      directive = m[1];
      rest = m[2]!.trim();
      if (rest === '(') {
        block = directive;
        continue;
      }
    }
    const f = rest.split(/\s+/);
    if (directive === 'module') mod.module = f[0]?.replace(/^"|"$/g, '');
    else if (directive === 'go') mod.go = f[0];
    else if (directive === 'require' && f[0] && f[1]) mod.requires.set(f[0], f[1]);
    else if (directive === 'replace') {
      const arrow = f.indexOf('=>');
      if (arrow > 0 && f[arrow + 1])
        mod.replaces.set(f[0]!, { path: f[arrow + 1]!, ...(f[arrow + 2] ? { version: f[arrow + 2] } : {}) });
    }
  }
  return mod;
}

function olderThan117(go: string | undefined): boolean {
  const m = /^(\d+)\.(\d+)/.exec(go ?? '');
  return !m || Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 17);
}

/**
 * Go modules: go.mod `require`s (with `replace`s applied), in a source tree only: in an image or a root file
 * system a go.mod is source left there (Go's own tree, `testdata`), and what was built is read from the binaries
 * (go-binary.ts), as Trivy does. Before Go 1.17 go.mod does not list every indirect module, so go.sum beside it
 * fills in the rest. The `module` itself is reported as the project's own component.
 */
export const gomod: Cataloger = {
  name: 'gomod',
  kind: 'manifest',
  version: 1,
  type: 'golang',
  wants: (path) =>
    /(?:^|\/)go\.(?:mod|sum)$/.test(path) && !path.includes('/vendor/') ? { maxBytes: 16 * MiB } : undefined,
  parse(file, ctx) {
    if (!file.path.endsWith('go.mod') || !ctx.source) return [];
    // the go tool ignores testdata and _-prefixed directories: a module there is a fixture, not a dependency
    if (file.path.split('/').some((d) => d === 'testdata' || d.startsWith('_'))) return [];
    const mod = parseGoMod(file.content.toString('utf8'));
    const modules = new Map(mod.requires);
    const sum = olderThan117(mod.go) ? sibling(ctx, file.path, 'go.sum') : undefined;
    for (const line of sum?.toString('utf8').split(/\r?\n/) ?? []) {
      const [path, version] = line.trim().split(/\s+/);
      if (path && version && !mod.requires.has(path)) modules.set(path, version.replace(/\/go\.mod$/, ''));
    }
    // the module itself: not a dependency, but the product VEX statements name
    const found: Found[] = mod.module ? [{ name: mod.module, version: '', own: true }] : [];
    for (const [path, version] of modules) {
      const r = mod.replaces.get(path);
      if (r && !r.version) continue; // replaced by a local directory: no published version
      found.push(r ? { name: r.path, version: r.version! } : { name: path, version });
    }
    return found;
  },
};
