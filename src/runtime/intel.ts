import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { basename, join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { Json } from './event.js';

/** What a threat-intel hit says: which feed, what kind of address, which indicator matched. */
export interface IntelHit {
  feed: string;
  category: 'malicious' | 'proxy';
  indicator: string;
}

interface Cidr {
  base: bigint;
  bits: number;
  v6: boolean;
  hit: IntelHit;
}

/**
 * Local threat-intel feeds: plain lists (one IP, CIDR or domain per line, `#` comments; a first line
 * `# feed: NAME category: proxy|malicious` names it) and STIX 2.1 bundles of indicators with
 * `ipv4-addr`, `ipv6-addr` or `domain-name` patterns. Nothing is fetched: feeds are files.
 */
export class ThreatIntel {
  private readonly ips = new Map<string, IntelHit>();
  private readonly cidrs: Cidr[] = [];
  private readonly domains = new Map<string, IntelHit>();
  /** Records a feed had that were not indicators Bulkhead reads. */
  dropped = 0;

  get size(): number {
    return this.ips.size + this.cidrs.length + this.domains.size;
  }

  /**
   * Load a feed file, or every regular file of a directory (sorted; hidden files skipped), so that a directory of
   * feeds is one option however many files it holds.
   */
  loadPath(path: string): void {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      throw new UserInputError(path, `cannot read threat-intel feed: ${(error as Error).message}`);
    }
    if (!isDirectory) {
      this.loadFile(path);
      return;
    }
    const files = readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    if (files.length === 0) throw new UserInputError(path, 'threat-intel directory holds no feed file');
    for (const name of files) this.loadFile(join(path, name));
  }

  /** Load a feed file; a file that is neither a list nor a STIX bundle is a user input error. */
  loadFile(path: string): void {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UserInputError(path, `cannot read threat-intel feed: ${(error as Error).message}`);
    }
    this.loadText(text, basename(path), path);
  }

  loadText(text: string, defaultName: string, label = defaultName): void {
    if (text.includes('\0')) throw new UserInputError(label, 'threat-intel feed is binary');
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{')) {
      let doc: Json;
      try {
        doc = JSON.parse(trimmed);
      } catch {
        throw new UserInputError(label, 'threat-intel feed is not valid JSON (expected a STIX 2.1 bundle)');
      }
      if (doc?.type !== 'bundle' || !Array.isArray(doc.objects))
        throw new UserInputError(label, 'JSON threat-intel feed is not a STIX 2.1 bundle');
      this.loadStix(doc.objects, defaultName, label);
      return;
    }
    let feed = defaultName;
    let category: IntelHit['category'] = /tor|proxy/i.test(defaultName) ? 'proxy' : 'malicious';
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!.trim();
      if (!line) continue;
      if (line.startsWith('#')) {
        const name = /feed:\s*(\S+)/.exec(line);
        if (name) feed = name[1]!;
        const cat = /category:\s*(proxy|malicious)/.exec(line);
        if (cat) category = cat[1] as IntelHit['category'];
        continue;
      }
      const value = line.split(/[\s,;]/)[0]!;
      const bad = cidrProblem(value);
      if (bad) throw new UserInputError(`${label}:${n + 1}`, `"${value}": ${bad}`);
      if (!this.add(value, { feed, category, indicator: value })) this.dropped += 1;
    }
  }

  private loadStix(objects: Json[], defaultName: string, label: string): void {
    const identities = new Map<string, string>();
    for (const o of objects) if (o?.type === 'identity' && o.id) identities.set(o.id, String(o.name ?? o.id));
    for (const o of objects) {
      if (o?.type !== 'indicator') continue;
      if (o.revoked === true || (o.valid_until && Date.parse(o.valid_until) < Date.now())) continue;
      const feed = identities.get(o.created_by_ref) ?? o.name ?? defaultName;
      const category: IntelHit['category'] = (o.indicator_types ?? []).some((t: string) =>
        /anonymization|proxy/.test(t),
      )
        ? 'proxy'
        : 'malicious';
      const re = /(ipv4-addr|ipv6-addr|domain-name):value\s*(?:=|ISSUBSET)\s*'([^']+)'/g;
      let m: RegExpExecArray | null = re.exec(String(o.pattern ?? ''));
      let found = false;
      while (m) {
        const bad = cidrProblem(m[2]!);
        if (bad) throw new UserInputError(`${label}: indicator ${o.id ?? '(no id)'}`, `"${m[2]}": ${bad}`);
        found = this.add(m[2]!, { feed, category, indicator: m[2]! }) || found;
        m = re.exec(String(o.pattern ?? ''));
      }
      if (!found) this.dropped += 1;
    }
  }

  /** Add an IP, CIDR or domain; false when the value is none of these. */
  add(value: string, hit: IntelHit): boolean {
    const slash = value.indexOf('/');
    if (slash > 0) {
      const ip = value.slice(0, slash);
      const kind = isIP(ip);
      if (!kind || cidrProblem(value)) return false;
      const bits = Number(value.slice(slash + 1));
      this.cidrs.push({ base: ipToBig(ip), bits, v6: kind === 6, hit });
      return true;
    }
    if (isIP(value)) {
      this.ips.set(value.toLowerCase(), hit);
      return true;
    }
    if (/^[a-z0-9*][a-z0-9.-]*\.[a-z]{2,}$/i.test(value)) {
      this.domains.set(value.toLowerCase().replace(/^\*\./, ''), hit);
      return true;
    }
    return false;
  }

  /** The feed entry matching an IP address, if any. */
  ip(addr: string | undefined): IntelHit | undefined {
    if (!addr || (this.ips.size === 0 && this.cidrs.length === 0)) return undefined;
    const exact = this.ips.get(addr.toLowerCase());
    if (exact) return exact;
    const kind = isIP(addr);
    if (!kind || this.cidrs.length === 0) return undefined;
    const value = ipToBig(addr);
    for (const c of this.cidrs) {
      if (c.v6 !== (kind === 6)) continue;
      const width = c.v6 ? 128n : 32n;
      const shift = width - BigInt(c.bits);
      if (value >> shift === c.base >> shift) return c.hit;
    }
    return undefined;
  }

  /** The feed entry matching a domain or one of its parents. */
  domain(name: string | undefined): IntelHit | undefined {
    if (!name || this.domains.size === 0) return undefined;
    let d = name.toLowerCase().replace(/\.$/, '');
    while (d.includes('.')) {
      const hit = this.domains.get(d);
      if (hit) return hit;
      d = d.slice(d.indexOf('.') + 1);
    }
    return undefined;
  }

  /** First feed hit among the IPs and domains that appear in a command line. */
  text(text: string): IntelHit | undefined {
    for (const token of text.split(/[\s'"=,;()|&<>`]+/)) {
      if (!token) continue;
      const host = hostOf(token);
      const hit = this.ip(host) ?? this.domain(host);
      if (hit) return hit;
    }
    return undefined;
  }
}

/** Host part of a URL or `host:port` token. @example hostOf('http://a.b:8/x') // 'a.b' */
export function hostOf(token: string): string {
  let t = token.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const at = t.lastIndexOf('@');
  if (at >= 0) t = t.slice(at + 1);
  t = t.split(/[/?#]/)[0] ?? '';
  if (t.startsWith('[')) return t.slice(1, t.indexOf(']'));
  const colon = t.indexOf(':');
  if (colon >= 0 && t.indexOf(':', colon + 1) < 0) t = t.slice(0, colon);
  return t;
}

function ipToBig(ip: string): bigint {
  if (isIP(ip) === 4) return ip.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(Number.parseInt(g || '0', 16)), 0n);
}

/**
 * Why `value` is an IP with a prefix that is not one (`10.0.0.0/-5` once matched every address, `/99` became an
 * exact match); undefined for a good CIDR and for anything that is not an IP with a prefix at all.
 */
export function cidrProblem(value: string): string | undefined {
  const slash = value.indexOf('/');
  if (slash <= 0) return undefined;
  const kind = isIP(value.slice(0, slash));
  if (!kind) return undefined;
  const prefix = value.slice(slash + 1);
  const max = kind === 6 ? 128 : 32;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefix) || Number(prefix) > max)
    return `the prefix length must be a whole number from 0 to ${max}`;
  return undefined;
}
