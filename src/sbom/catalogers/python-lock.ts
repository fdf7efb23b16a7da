import { parse as parseToml } from 'smol-toml';
import { baseOf, parseJsonSafe } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';
import { lockOptions } from './npm-lock.js';

function requirements(text: string): Found[] {
  const out: Found[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line || line.startsWith('-')) continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([^\s;,\\]+)/.exec(line);
    if (m) out.push({ name: m[1]!, version: m[2]! });
  }
  return out;
}

function toml(content: Buffer): Record<string, unknown> | undefined {
  try {
    return parseToml(content.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

type TomlPkg = {
  name?: string;
  version?: string;
  category?: string;
  source?: { virtual?: string; editable?: string };
};

/** Python lock files: requirements*.txt (pinned), Pipfile.lock, poetry.lock, uv.lock, pylock.toml. */
export const pythonLock: Cataloger = {
  name: 'python-lock',
  kind: 'lock',
  version: 1,
  type: 'pypi',
  wants: (path) =>
    /(?:^|\/)(?:requirements[^/]*\.txt|Pipfile\.lock|poetry\.lock|uv\.lock|pylock(?:\.[^/]+)?\.toml)$/.test(
      path,
    ) && !path.includes('site-packages/')
      ? { maxBytes: 32 * MiB }
      : undefined,
  parse(file) {
    const name = baseOf(file.path);
    if (name.endsWith('.txt')) return requirements(file.content.toString('utf8'));
    if (name === 'Pipfile.lock') {
      const lock = parseJsonSafe(file.content) as
        | Record<string, Record<string, { version?: string }>>
        | undefined;
      const sections = lockOptions.includeDev ? ['default', 'develop'] : ['default'];
      return sections.flatMap((s) =>
        Object.entries(lock?.[s] ?? {})
          .filter(([, v]) => typeof v?.version === 'string')
          .map(([n, v]) => ({ name: n, version: v.version!.replace(/^==/, '') })),
      );
    }
    const doc = toml(file.content);
    if (!doc) return [];
    const pkgs = ((name.startsWith('pylock') ? doc.packages : doc.package) ?? []) as TomlPkg[];
    // the project's own members (editable or virtual: the workspace) are components, not packages
    const own = (p: TomlPkg) => Boolean(p.source?.virtual ?? p.source?.editable);
    return pkgs
      .filter((p) => p.name && (p.version || own(p)))
      .filter((p) => lockOptions.includeDev || p.category !== 'dev')
      .map((p) => ({ name: p.name!, version: String(p.version ?? ''), ...(own(p) ? { own: true } : {}) }));
  },
};
