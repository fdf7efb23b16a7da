import type { Probe } from '../../image/file-view.js';
import { baseOf } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';
import { zipEntries } from '../zip.js';

const ARCHIVE = /\.(?:jar|war|ear|jpi|hpi|par|sar|nar|rar)$/i;
const MAX_ARCHIVE = 256 * MiB;
const MAX_ENTRY = 64 * MiB;
const MAX_DEPTH = 4;

/** `Key: value` with 72-column continuation lines (JAR manifest). */
export function parseManifest(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') {
      if (Object.keys(out).length) break; // main section only
      continue;
    }
    if (line.startsWith(' ') && last) {
      out[last] += line.slice(1);
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) continue;
    last = line.slice(0, i).trim();
    out[last] = line.slice(i + 1).trim();
  }
  return out;
}

export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t || t.startsWith('#') || t.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(t);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** `commons-lang3-3.12.0.jar` → name and version. */
function fromFileName(file: string): { name: string; version: string } | undefined {
  const m = /^(.+?)-(\d[\w.+-]*?)(?:\.[a-z]+)$/i.exec(file);
  return m ? { name: m[1]!, version: m[2]! } : undefined;
}

/** Packages of one archive (and, recursively, the archives inside it). */
export function javaArchivePackages(data: Uint8Array, path: string, depth = 0): Found[] {
  let total = 0;
  const files: Record<string, Buffer> = {};
  try {
    for (const e of zipEntries(Buffer.from(data.buffer, data.byteOffset, data.byteLength), MAX_ENTRY)) {
      const wanted =
        e.name === 'META-INF/MANIFEST.MF' ||
        /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(e.name) ||
        (depth < MAX_DEPTH && ARCHIVE.test(e.name));
      if (!wanted || e.size > MAX_ENTRY || total + e.size > MAX_ARCHIVE) continue;
      try {
        const content = e.read();
        total += content.length;
        files[e.name] = content;
      } catch {
        // an entry that cannot be inflated within its limit is left out
      }
    }
  } catch {
    return [];
  }
  const found: Found[] = [];
  const poms = Object.entries(files).filter(([n]) => n.endsWith('pom.properties'));
  for (const [, content] of poms) {
    const p = parseProperties(Buffer.from(content).toString('utf8'));
    if (p.groupId && p.artifactId && p.version)
      found.push({ name: `${p.groupId}:${p.artifactId}`, version: p.version, namespace: p.groupId, path });
  }
  if (found.length === 0) {
    const mf = files['META-INF/MANIFEST.MF'];
    const m = mf ? parseManifest(Buffer.from(mf).toString('utf8')) : {};
    const byName = fromFileName(baseOf(path));
    const symbolic = (m['Bundle-SymbolicName'] ?? m['Automatic-Module-Name'])?.split(';')[0]?.trim();
    let artifact = byName?.name ?? m['Implementation-Title'] ?? symbolic;
    const version = m['Implementation-Version'] ?? m['Bundle-Version'] ?? byName?.version;
    // the group: the vendor id, else the symbolic name without its last part (org.example.lib → org.example)
    let group =
      m['Implementation-Vendor-Id'] ??
      (symbolic?.includes('.') ? symbolic.replace(/\.[^.]+$/, '') : undefined);
    if (artifact && group && artifact.startsWith(`${group}.`)) artifact = artifact.slice(group.length + 1);
    group ??= artifact;
    if (artifact && version && group)
      found.push({ name: `${group}:${artifact}`, version, namespace: group, path });
  }
  for (const [name, content] of Object.entries(files))
    if (ARCHIVE.test(name)) found.push(...javaArchivePackages(content, `${path}/${name}`, depth + 1));
  return found;
}

/** Buffers one archive (bounded), reads it when complete and keeps only the packages found, as JSON. */
function javaProbe(path: string): () => Probe {
  return () => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    return {
      push(c) {
        size += c.length;
        if (size > MAX_ARCHIVE) over = true;
        else chunks.push(c);
      },
      finish: () =>
        over
          ? undefined
          : Buffer.from(JSON.stringify(javaArchivePackages(Buffer.concat(chunks), `/${path}`))),
    };
  };
}

/** Java archives: pom.properties, MANIFEST.MF, the file name; nested jars (wars, ears, fat jars). */
export const java: Cataloger = {
  name: 'java',
  kind: 'installed',
  version: 1,
  type: 'maven',
  wants: (path) => (ARCHIVE.test(path) ? { maxBytes: MAX_ARCHIVE, probe: javaProbe(path) } : undefined),
  parse(file) {
    try {
      return JSON.parse(file.content.toString('utf8')) as Found[];
    } catch {
      return [];
    }
  },
};
