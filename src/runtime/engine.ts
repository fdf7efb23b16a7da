import { type ResourceRef, resourceKey } from '../core/resource.js';
import type { Alert } from '../core/results.js';
import { RuleContext } from './context.js';
import type { RuntimeEvent } from './event.js';
import { type ActiveRuleSet, matchesException } from './rule-set.js';
import { alertSeverity, type Rule } from './rules/types.js';

export interface EngineOptions {
  /** De-duplication window in milliseconds (default 10 minutes). */
  windowMs?: number;
  /** Per-rule noise budget: distinct alerts per rule within the window before aggregating (default 50). */
  noiseBudget?: number;
  /** Bound of the input queue (events waiting to be evaluated); beyond it events are dropped and counted. */
  queueLimit?: number;
  /** Called when an alert is first raised (and for the drop self-alert). */
  onAlert?: (alert: Alert) => void;
  /** Called when an existing alert's count grows. */
  onUpdate?: (alert: Alert) => void;
}

export interface EngineStats {
  events: number;
  dropped: number;
  matched: number;
  suppressed: number;
  alerts: number;
  aggregated: number;
}

/** Alerts kept in memory for `alerts()` (a live engine hands each alert out as it is raised). */
const MAX_KEPT_ALERTS = 100_000;

/** The self-alert raised when input outruns evaluation. */
export const DROP_RULE_ID = 'BULKHEAD-RT-DROP';
/** The aggregate alert of a rule whose noise budget is spent. */
const AGGREGATE_KEY = '\u0000aggregate';

interface OpenAlert {
  alert: Alert;
  lastMs: number;
}

/**
 * Evaluates rules over normalised events and turns matches into de-duplicated alerts:
 * one alert per rule × resource × key fields within the window, with a count; past the per-rule noise
 * budget further matches of the rule fold into one aggregate alert. Input goes through a bounded queue;
 * overflow is dropped, counted, and reported once per window by a self-alert.
 */
export class Engine {
  readonly stats: EngineStats = {
    events: 0,
    dropped: 0,
    matched: 0,
    suppressed: 0,
    alerts: 0,
    aggregated: 0,
  };
  readonly ctx: RuleContext;
  private readonly open = new Map<string, OpenAlert>();
  private readonly all: Alert[] = [];
  private readonly perRule = new Map<string, number[]>();
  private readonly queue: RuntimeEvent[] = [];
  private readonly windowMs: number;
  private readonly noiseBudget: number;
  private readonly queueLimit: number;
  private readonly bySource = new Map<string, Rule[]>();
  private readonly cmdlineRules: Rule[];
  /** k8s-audit rules indexed by the `objectRef.resource` they concern; `k8sAny` read every event. */
  private readonly k8sAny: Rule[] = [];
  private readonly k8sByResource = new Map<string, Rule[]>();
  private draining = false;
  private lastDropAlert = -Infinity;

  constructor(
    private readonly rules: ActiveRuleSet,
    private readonly options: EngineOptions = {},
    ctx?: RuleContext,
  ) {
    this.ctx = ctx ?? new RuleContext(rules.lists, rules.intel);
    this.ctx.activity = rules.activity;
    this.windowMs = options.windowMs ?? 10 * 60_000;
    this.noiseBudget = options.noiseBudget ?? 50;
    this.queueLimit = options.queueLimit ?? 10_000;
    for (const r of rules.rules) {
      const list = this.bySource.get(r.source) ?? [];
      list.push(r);
      this.bySource.set(r.source, list);
      if (r.source !== 'k8s-audit') continue;
      if (!r.resources) this.k8sAny.push(r);
      else
        for (const res of r.resources) {
          const byRes = this.k8sByResource.get(res) ?? [];
          byRes.push(r);
          this.k8sByResource.set(res, byRes);
        }
    }
    this.cmdlineRules = rules.rules.filter((r) => (r as { cmdline?: boolean }).cmdline === true);
  }

  /**
   * Offer an event from a live source. Returns false when the queue is full and the event was dropped.
   * Evaluation happens on the next tick so that bursts queue up (and overflow) instead of blocking the source.
   */
  offer(event: RuntimeEvent): boolean {
    if (this.queue.length >= this.queueLimit) {
      this.stats.dropped += 1;
      this.dropAlert(event.time);
      return false;
    }
    this.queue.push(event);
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => this.drain());
    }
    return true;
  }

  /** Events waiting in the queue. */
  get pending(): number {
    return this.queue.length;
  }

  private drain(): void {
    const started = Date.now();
    let e = this.queue.shift();
    while (e) {
      this.process(e);
      if (Date.now() - started > 50) {
        setImmediate(() => this.drain()); // yield to I/O
        return;
      }
      e = this.queue.shift();
    }
    this.draining = false;
  }

  /** Evaluate one event synchronously (replays). */
  process(event: RuntimeEvent): void {
    this.stats.events += 1;
    const p = event.process;
    if (event.kind === 'exec' && p && event.syscall?.success !== false)
      this.ctx.recordProcess({
        pid: p.pid,
        argv: p.argv,
        time: event.time,
        ...(p.host ? { host: p.host } : {}),
        ...(p.ppid !== undefined ? { ppid: p.ppid } : {}),
        ...(p.exe ? { exe: p.exe } : {}),
        ...(p.comm ? { comm: p.comm } : {}),
        ...(p.uid !== undefined ? { uid: p.uid } : {}),
        ...(p.euid !== undefined ? { euid: p.euid } : {}),
        ...(p.container ? { container: p.container } : {}),
      });
    if (event.source === 'k8s-audit') {
      for (const rule of this.k8sAny) this.evaluate(rule, event);
      const specific = this.k8sByResource.get(event.audit?.objectRef?.resource ?? '');
      if (specific) for (const rule of specific) this.evaluate(rule, event);
    } else for (const rule of this.bySource.get(event.source) ?? []) this.evaluate(rule, event);
    // command strings of Docker execs also go through the command-line rows of the host section
    if (event.source === 'docker-events' && event.docker?.action.startsWith('exec_start')) {
      const cmd = event.docker.action.slice(event.docker.action.indexOf(':') + 1).trim();
      const exec: RuntimeEvent = {
        source: 'auditd',
        kind: 'exec',
        time: event.time,
        resource: event.resource,
        process: { pid: 0, argv: cmd.split(/\s+/).filter(Boolean), container: event.docker.id },
      };
      for (const rule of this.cmdlineRules) this.evaluate(rule, exec, event.resource);
    }
  }

  private evaluate(rule: Rule, event: RuntimeEvent, resourceOverride?: ResourceRef): void {
    let match: ReturnType<Rule['when']>;
    try {
      match = rule.when(event, this.ctx);
    } catch {
      return; // a rule must never stop the pipeline; malformed input fields are not a match
    }
    if (!match) return;
    this.stats.matched += 1;
    const resource = match.resource ?? resourceOverride ?? alertResource(event);
    if (matchesException(this.rules.exceptions, rule.id, resource, match.evidence)) {
      this.stats.suppressed += 1;
      return;
    }
    const severity = this.rules.severityOverrides.get(rule.id) ?? match.severity ?? rule.severity;
    const key = `${rule.id}\u0000${resourceKey(resource)}\u0000${match.key ?? ''}`;
    const t = event.time;
    const existing = this.open.get(key);
    if (existing && t - existing.lastMs <= this.windowMs && t >= existing.lastMs - this.windowMs) {
      this.bump(existing, t);
      return;
    }
    // noise budget: distinct alerts of this rule within the window
    const recent = (this.perRule.get(rule.id) ?? []).filter((x) => t - x <= this.windowMs);
    if (recent.length >= this.noiseBudget) {
      this.stats.aggregated += 1;
      const aggKey = `${rule.id}${AGGREGATE_KEY}`;
      const agg = this.open.get(aggKey);
      if (agg && t - agg.lastMs <= this.windowMs) {
        this.bump(agg, t);
        return;
      }
      this.raise(
        aggKey,
        {
          rule: rule.id,
          title: `${rule.title} (aggregated: noise budget of ${this.noiseBudget} alerts per window reached)`,
          severity: alertSeverity(severity),
          tactic: rule.tactic,
          ...(rule.technique ? { technique: rule.technique } : {}),
          source: rule.source,
          resource: resource.parent ?? resource,
          firstSeen: iso(t),
          lastSeen: iso(t),
          count: 1,
          evidence: {
            aggregated: true,
            noiseBudget: this.noiseBudget,
            windowMs: this.windowMs,
            first: match.evidence,
          },
        },
        t,
      );
      return;
    }
    recent.push(t);
    this.perRule.set(rule.id, recent.slice(-this.noiseBudget));
    this.raise(
      key,
      {
        rule: rule.id,
        title: rule.title,
        severity: alertSeverity(severity),
        tactic: rule.tactic,
        ...(rule.technique ? { technique: rule.technique } : {}),
        source: rule.source,
        resource,
        firstSeen: iso(t),
        lastSeen: iso(t),
        count: 1,
        evidence: match.evidence,
      },
      t,
    );
  }

  private raise(key: string, alert: Alert, t: number): void {
    this.open.set(key, { alert, lastMs: t });
    if (this.open.size > 50_000) this.evictOld(t);
    this.all.push(alert);
    if (this.all.length > MAX_KEPT_ALERTS) this.all.splice(0, this.all.length - MAX_KEPT_ALERTS);
    this.stats.alerts += 1;
    this.options.onAlert?.(alert);
  }

  private bump(entry: OpenAlert, t: number): void {
    entry.alert.count += 1;
    if (t > entry.lastMs) {
      entry.lastMs = t;
      entry.alert.lastSeen = iso(t);
    }
    this.options.onUpdate?.(entry.alert);
  }

  private evictOld(now: number): void {
    for (const [k, v] of this.open) if (now - v.lastMs > this.windowMs) this.open.delete(k);
  }

  private dropAlert(t: number): void {
    const now = Number.isFinite(t) ? t : Date.now();
    const existing = this.open.get(DROP_RULE_ID);
    if (existing && now - this.lastDropAlert <= this.windowMs) {
      existing.alert.count = this.stats.dropped;
      existing.alert.lastSeen = iso(now);
      existing.alert.evidence = { dropped: this.stats.dropped, queueLimit: this.queueLimit };
      this.options.onUpdate?.(existing.alert);
      return;
    }
    this.lastDropAlert = now;
    this.raise(
      DROP_RULE_ID,
      {
        rule: DROP_RULE_ID,
        title: 'Run-time events dropped: input outran evaluation',
        severity: 'HIGH',
        tactic: 'Defense Evasion',
        source: 'bulkhead',
        resource: { type: 'host', id: 'bulkhead-runtime' },
        firstSeen: iso(now),
        lastSeen: iso(now),
        count: this.stats.dropped,
        evidence: { dropped: this.stats.dropped, queueLimit: this.queueLimit },
      },
      now,
    );
  }

  /** All alerts raised so far (sorted by severity, then rule). */
  alerts(): Alert[] {
    return [...this.all];
  }
}

/** The resource an alert is keyed by: the event's, lifted to the container (or host) for processes. */
export function alertResource(e: RuntimeEvent): ResourceRef {
  if (e.source === 'auditd') {
    const host = e.resource.parent ?? { type: 'host' as const, id: e.host ?? 'localhost' };
    const c = e.process?.container;
    return c ? { type: 'container', id: c, parent: host } : host;
  }
  return e.resource;
}

function iso(ms: number): string {
  return new Date(Number.isFinite(ms) ? ms : Date.now()).toISOString();
}
