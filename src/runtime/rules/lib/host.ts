import { isIP } from 'node:net';
import type { ProcessEntry, RuleContext } from '../../context.js';
import type { ProcessInfo, RuntimeEvent } from '../../event.js';
import { hostOf } from '../../intel.js';

export function basename(p: string | undefined): string {
  if (!p) return '';
  const s = p.endsWith('/') ? p.replace(/\/+$/, '') : p;
  return s.slice(s.lastIndexOf('/') + 1);
}

/** The started process of a successful exec (auditd, or a Docker exec replayed through the command rows). */
export function execOf(e: RuntimeEvent): ProcessInfo | undefined {
  if (e.kind !== 'exec' || !e.process) return undefined;
  if (e.syscall && !e.syscall.success) return undefined;
  return e.process;
}

interface Named {
  names: readonly string[];
  /** Each name, then its family when that differs: the order `isNamed` tries them in. */
  candidates: readonly string[];
}

const namedOf = new WeakMap<object, Named>();

function named(p: { exe?: string; argv: string[]; comm?: string }): Named {
  let out = namedOf.get(p);
  if (!out) {
    const names = [...new Set([basename(p.exe), basename(p.argv[0]), p.comm ?? ''].filter(Boolean))];
    const candidates: string[] = [];
    for (const n of names) {
      candidates.push(n);
      const f = family(n);
      if (f !== n) candidates.push(f);
    }
    out = { names, candidates };
    namedOf.set(p, out);
  }
  return out;
}

/**
 * Program names of a process: exe basename, argv[0] basename, comm. Remembered per process object: every
 * process rule asks, several times per event.
 */
export function names(p: { exe?: string; argv: string[]; comm?: string }): readonly string[] {
  return named(p).names;
}

/** Program name with version suffixes removed (`python3.11` → `python`, `php-fpm8.2` → `php-fpm`). */
export function family(name: string): string {
  return name.replace(/[0-9.]+$/, '');
}

const setsOf = new WeakMap<readonly string[], ReadonlySet<string>>();

/** A list as a set, made once per list array (lists come from the rule context, which keeps them). */
function setOf(list: readonly string[]): ReadonlySet<string> {
  let set = setsOf.get(list);
  if (!set) {
    set = new Set(list);
    setsOf.set(list, set);
  }
  return set;
}

/** The first of the process's names (or its family) in `list`. */
export function isNamed(
  p: { exe?: string; argv: string[]; comm?: string },
  list: readonly string[],
): string | undefined {
  const candidates = named(p).candidates;
  // a literal list of a few names is a fresh array per call: scanning it beats building a set
  if (list.length <= 8) {
    for (const n of candidates) if (list.includes(n)) return n;
    return undefined;
  }
  const set = setOf(list);
  for (const n of candidates) if (set.has(n)) return n;
  return undefined;
}

/** The script of `<shell> -c <script>` (also `busybox sh -c`). */
export function shellScript(p: ProcessInfo, shells: readonly string[]): string | undefined {
  const argv = p.argv;
  if (!isNamed(p, shells)) return undefined;
  const i = argv.indexOf('-c');
  if (i >= 0 && argv[i + 1] !== undefined) return argv[i + 1];
  const combined = argv.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
  return combined >= 0 ? argv[combined + 1] : undefined;
}

interface Texts {
  shells: readonly string[];
  texts: string[];
  joined?: string;
}

const textsOf = new WeakMap<ProcessInfo, Texts>();

/**
 * The command line and, for `sh -c`, the script: the texts command-line rows match. Remembered per process object
 * (and shell list), since most exec rows ask for them.
 */
export function texts(p: ProcessInfo, ctx: RuleContext): readonly string[] {
  return textsEntry(p, ctx).texts;
}

/** The texts as one line (command line, then the script), as most command-line rows match them. */
export function textsLine(p: ProcessInfo, ctx: RuleContext): string {
  const entry = textsEntry(p, ctx);
  entry.joined ??= entry.texts.join(' ');
  return entry.joined;
}

function textsEntry(p: ProcessInfo, ctx: RuleContext): Texts {
  const shells = ctx.list('shells');
  const known = textsOf.get(p);
  if (known && known.shells === shells) return known;
  const line = p.argv.length > 0 ? p.argv.join(' ') : (p.exe ?? p.comm ?? '');
  const script = shellScript(p, shells);
  const entry: Texts = { shells, texts: script ? [line, script] : [line] };
  textsOf.set(p, entry);
  return entry;
}

export function anyText(p: ProcessInfo, ctx: RuleContext, re: RegExp): string | undefined {
  for (const t of texts(p, ctx)) {
    const m = re.exec(t);
    if (m) return m[0];
  }
  return undefined;
}

/** Programs invoked anywhere in the command line or script (first word of each pipeline stage). */
export function invoked(p: ProcessInfo, ctx: RuleContext): string[] {
  const out = new Set(names(p));
  const script = shellScript(p, ctx.list('shells'));
  if (script)
    for (const stage of script.split(/\|\||&&|[|;&\n]|\$\(|`/)) {
      const words = stage
        .trim()
        .split(/\s+/)
        .filter((w) => !/^\w+=/.test(w));
      const w = words[0] === 'sudo' || words[0] === 'nohup' || words[0] === 'exec' ? words[1] : words[0];
      if (w) out.add(basename(w));
    }
  return [...out];
}

export function underAny(path: string | undefined, dirs: string[]): boolean {
  if (!path) return false;
  return dirs.some((d) => path === d || path.startsWith(d.endsWith('/') ? d : `${d}/`));
}

/** A path with a hidden directory component (`/tmp/.x/y`, `/home/u/.cache/z`). */
export function hiddenDir(path: string | undefined): boolean {
  if (!path) return false;
  const parts = path.split('/').slice(0, -1);
  return parts.some((c) => c.startsWith('.') && c !== '.' && c !== '..');
}

/** URLs in a command line. */
export function urls(text: string): string[] {
  return text.match(/\b(?:https?|ftp|tftp):\/\/[^\s'"|;&)<>]+/gi) ?? [];
}

export function isPublicIp(addr: string | undefined): boolean {
  if (!addr) return false;
  const kind = isIP(addr);
  if (kind === 4) {
    const [a, b] = addr.split('.').map(Number) as [number, number];
    if (a === 10 || a === 127 || a === 0 || a >= 224) return false;
    if (a === 169 && b === 254) return false;
    if (a === 172 && b >= 16 && b <= 31) return false;
    if (a === 192 && b === 168) return false;
    if (a === 100 && b >= 64 && b <= 127) return false;
    return true;
  }
  if (kind === 6) {
    const l = addr.toLowerCase();
    return !(l === '::1' || l === '::' || l.startsWith('fe80') || l.startsWith('fc') || l.startsWith('fd'));
  }
  return false;
}

export function isLoopback(addr: string | undefined): boolean {
  return !!addr && (addr.startsWith('127.') || addr === '::1' || addr === 'localhost');
}

/** A host name that is neither private nor loopback (names count as public). */
export function isPublicHost(host: string): boolean {
  if (isIP(host)) return isPublicIp(host);
  return host.includes('.') && host !== 'localhost';
}

export function urlHosts(text: string): string[] {
  return urls(text).map(hostOf);
}

/** Parent and grandparent from the process table (the exec's own ppid first). */
export function parents(p: ProcessInfo, ctx: RuleContext, depth = 2): ProcessEntry[] {
  return ctx.ancestors(p.ppid, depth, p.host);
}

export function parentNamed(
  p: ProcessInfo,
  ctx: RuleContext,
  list: string[],
  depth = 2,
): ProcessEntry | undefined {
  return parents(p, ctx, depth).find((a) => isNamed(a, list));
}

export function procEvidence(p: ProcessInfo, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { pid: p.pid };
  if (p.exe) out.exe = p.exe;
  if (p.argv.length > 0) out.cmdline = p.argv.join(' ').slice(0, 1024);
  if (p.ppid !== undefined) out.ppid = p.ppid;
  if (p.uid !== undefined) out.uid = p.uid;
  if (p.euid !== undefined && p.euid !== p.uid) out.euid = p.euid;
  if (p.auid !== undefined && p.auid !== 4294967295) out.auid = p.auid;
  if (p.cwd) out.cwd = p.cwd;
  if (p.container) out.container = p.container;
  return { ...out, ...extra };
}

/** Path of a file event, resolved against CWD when relative. */
export function resolvePath(name: string, cwd: string | undefined): string {
  if (name.startsWith('/') || !cwd) return name;
  const parts = `${cwd}/${name}`.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** Paths a file event touched (PATH items other than PARENT, resolved). */
export function touched(e: RuntimeEvent): string[] {
  if (e.kind !== 'file' || !e.paths) return [];
  return e.paths
    .filter((p) => p.nametype !== 'PARENT' && p.name)
    .map((p) => resolvePath(p.name, e.process?.cwd));
}

const WRITE_SYSCALLS = new Set([
  'creat',
  'truncate',
  'ftruncate',
  'unlink',
  'unlinkat',
  'rename',
  'renameat',
  'renameat2',
  'chmod',
  'fchmodat',
  'link',
  'linkat',
  'symlink',
  'symlinkat',
]);

/** Whether the syscall of an auditd event writes (create, truncate, unlink, rename, chmod, or an open for writing). */
export function syscallWrites(e: RuntimeEvent): boolean {
  const s = e.syscall;
  if (!s) return false;
  if (WRITE_SYSCALLS.has(s.name)) return true;
  if (s.name === 'open' || s.name === 'openat' || s.name === 'openat2') {
    const flags = Number.parseInt((s.name === 'open' ? s.a[1] : s.a[2]) ?? '0', 16);
    // O_WRONLY 1, O_RDWR 2, O_CREAT 0x40, O_TRUNC 0x200, O_APPEND 0x400
    return (flags & 0x3) !== 0 || (flags & 0x240) !== 0 || (flags & 0x400) !== 0;
  }
  return false;
}

/** What a file event did: write (incl. create/truncate/unlink/rename) or read. */
export function fileAccess(e: RuntimeEvent): 'write' | 'read' | undefined {
  const s = e.syscall;
  if (!s || e.kind !== 'file') return undefined;
  if (syscallWrites(e)) return 'write';
  if (s.name === 'open' || s.name === 'openat' || s.name === 'openat2') return 'read';
  if (e.paths?.some((p) => p.nametype === 'CREATE' || p.nametype === 'DELETE')) return 'write';
  return 'read';
}

export function isUnlinkOrTruncate(e: RuntimeEvent): boolean {
  const n = e.syscall?.name ?? '';
  if (/^(unlink|unlinkat|truncate|ftruncate|rename|renameat|renameat2)$/.test(n)) return true;
  if (n === 'open' || n === 'openat') {
    const flags = Number.parseInt((n === 'open' ? e.syscall?.a[1] : e.syscall?.a[2]) ?? '0', 16);
    return (flags & 0x200) !== 0;
  }
  return false;
}
