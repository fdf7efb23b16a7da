import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Json } from './event.js';
import { ThreatIntel } from './intel.js';

/** Named lists and knobs (see lists/defaults.yaml). Values are string lists except a few structured ones. */
export type Lists = Record<string, Json>;

let defaults: Lists | undefined;

/** The shipped default lists (a fresh copy: callers may extend it). */
export function defaultLists(): Lists {
  defaults ??= parse(
    readFileSync(fileURLToPath(new URL('./lists/defaults.yaml', import.meta.url)), 'utf8'),
  ) as Lists;
  return structuredClone(defaults);
}

/** A process the engine has seen start (auditd exec), for parent/ancestor conditions. */
export interface ProcessEntry {
  pid: number;
  /** The node that logged it (auditd `node=`): pids of different hosts are different processes. */
  host?: string;
  ppid?: number;
  exe?: string;
  comm?: string;
  argv: string[];
  time: number;
  uid?: number;
  euid?: number;
  container?: string;
}

const MAX_PROCESSES = 65_536;

/** The pid alone for single-host input (the common case, no string built per lookup), else `host\0pid`. */
function processKey(host: string | undefined, pid: number): string | number {
  return host ? `${host}\0${pid}` : pid;
}
const MAX_KEYS = 20_000;
const NO_NAMES: readonly string[] = [];
const MAX_PER_KEY = 256;

/** State that stateful rows read and write; every structure is bounded. */
export class RuleContext {
  readonly lists: Lists;
  readonly intel: ThreatIntel;
  /** Audit-trail rows on. */
  activity = true;
  /** Keyed by `host\0pid` (see processKey). */
  private readonly processes = new Map<string | number, ProcessEntry>();
  private readonly windows = new Map<string, { time: number; item: unknown }[]>();
  private readonly onceKeys = new Map<string, number>();

  constructor(lists: Lists = defaultLists(), intel: ThreatIntel = new ThreatIntel()) {
    this.lists = lists;
    this.intel = intel;
  }

  private readonly listCache = new Map<string, string[]>();
  private readonly distinctWindows = new Map<string, Map<unknown, number>>();
  private readonly unionCache = new Map<readonly string[], Map<readonly string[], string[]>>();

  /** A named list as strings (cached: lists do not change once the rule set is built). */
  list(name: string): string[] {
    let out = this.listCache.get(name);
    if (!out) {
      const v = this.lists[name];
      out = Array.isArray(v) ? v.map(String) : [];
      this.listCache.set(name, out);
    }
    return out;
  }

  /**
   * Several lists (and extra names) as one, made once per combination: rows that match any of several lists ask
   * for it on every event. Keyed by the arrays themselves, so rows pass module-level constants.
   */
  union(names: readonly string[], extra: readonly string[] = NO_NAMES): string[] {
    let byExtra = this.unionCache.get(names);
    if (!byExtra) {
      byExtra = new Map();
      this.unionCache.set(names, byExtra);
    }
    let out = byExtra.get(extra);
    if (!out) {
      out = [...names.flatMap((n) => this.list(n)), ...extra];
      byExtra.set(extra, out);
    }
    return out;
  }

  recordProcess(entry: ProcessEntry): void {
    const key = processKey(entry.host, entry.pid);
    this.processes.delete(key);
    this.processes.set(key, entry);
    if (this.processes.size > MAX_PROCESSES) this.processes.delete(this.processes.keys().next().value!);
  }

  /** The process `pid` of `host` (auditd `node=`; absent for single-host input). */
  process(pid: number | undefined, host?: string): ProcessEntry | undefined {
    return pid === undefined ? undefined : this.processes.get(processKey(host, pid));
  }

  /** Ancestors of a pid on `host`, nearest first, up to `depth`. */
  ancestors(ppid: number | undefined, depth = 4, host?: string): ProcessEntry[] {
    const out: ProcessEntry[] = [];
    let pid = ppid;
    const seen = new Set<number>();
    while (pid !== undefined && out.length < depth && !seen.has(pid)) {
      seen.add(pid);
      const p = this.processes.get(processKey(host, pid));
      if (!p) break;
      out.push(p);
      pid = p.ppid;
    }
    return out;
  }

  /**
   * Add `item` at `time` to the sliding window `key` and return the items within `windowMs` (oldest first).
   * Bounded: at most 256 items per key and 20,000 keys.
   */
  window<T>(key: string, time: number, windowMs: number, item?: T): T[] {
    let list = this.windows.get(key);
    if (!list && item === undefined) return [];
    if (!list) {
      list = [];
      if (this.windows.size >= MAX_KEYS) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(key, list);
    }
    if (item !== undefined) list.push({ time, item });
    const from = time - windowMs;
    const to = time + windowMs; // log order is not guaranteed within a burst
    // compacted in place: this runs for most events, and a copy per call was a tenth of `runtime detect`
    let kept = 0;
    for (const e of list) if (e.time >= from && e.time <= to) list[kept++] = e;
    list.length = kept;
    if (kept > MAX_PER_KEY) list.splice(0, kept - MAX_PER_KEY);
    const items = new Array<T>(list.length);
    for (let i = 0; i < list.length; i++) items[i] = list[i]!.item as T;
    return items;
  }

  /**
   * Record `item` at `time` under `key` and return the distinct items seen within `windowMs`, least recently seen
   * first. For rows that ask which programs, steps or paths occurred, not how often: a burst of one item never
   * pushes another out (at most 256 distinct items per key and 20,000 keys), and the cost per event is the number
   * of distinct items, not of events.
   */
  distinct<T>(key: string, time: number, windowMs: number, item?: T): T[] {
    let seen = this.distinctWindows.get(key);
    if (!seen && item === undefined) return [];
    if (!seen) {
      seen = new Map();
      if (this.distinctWindows.size >= MAX_KEYS)
        this.distinctWindows.delete(this.distinctWindows.keys().next().value!);
      this.distinctWindows.set(key, seen);
    }
    if (item !== undefined) {
      const before = seen.get(item);
      seen.delete(item);
      seen.set(item, before === undefined ? time : Math.max(time, before));
      if (seen.size > MAX_PER_KEY) seen.delete(seen.keys().next().value as T);
    }
    const from = time - windowMs;
    const to = time + windowMs; // log order is not guaranteed within a burst
    const items: T[] = [];
    for (const [it, at] of seen) {
      if (at < from) seen.delete(it);
      else if (at <= to) items.push(it as T);
    }
    return items;
  }

  /** True the first time `key` is seen (within the bounded memory of keys). */
  once(key: string): boolean {
    if (this.onceKeys.has(key)) return false;
    if (this.onceKeys.size >= MAX_KEYS) this.onceKeys.delete(this.onceKeys.keys().next().value!);
    this.onceKeys.set(key, 1);
    return true;
  }

  /** The first time recorded for `key` (records `time` when new). */
  firstTime(key: string, time: number): number {
    const known = this.onceKeys.get(key);
    if (known !== undefined) return known;
    if (this.onceKeys.size >= MAX_KEYS) this.onceKeys.delete(this.onceKeys.keys().next().value!);
    this.onceKeys.set(key, time);
    return time;
  }

  /** Whether `key` was marked with `once` before (without marking it). */
  seen(key: string): boolean {
    return this.onceKeys.has(key);
  }
}
