import type { Decision } from './decide.js';
import type { Mutation } from './mutate.js';

/** Latency buckets in seconds: the webhook answers in milliseconds; the API server gives up at timeoutSeconds. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** The strongest action a decision took: deny, warn, audit, or allow when nothing was violated. */
export function decisionAction(decision: Pick<Decision, 'allowed' | 'violations'>): string {
  if (!decision.allowed) return 'deny';
  if (decision.violations.some((v) => v.action === 'warn')) return 'warn';
  if (decision.violations.some((v) => v.action === 'audit')) return 'audit';
  return 'allow';
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * The webhook's Prometheus metrics, kept in memory and written in the text exposition format:
 * decisions by action, violations by control and action, rejected bodies by reason, and a latency histogram.
 */
export class AdmissionMetrics {
  private readonly decisions = new Map<string, number>();
  private readonly violations = new Map<string, number>();
  private readonly rejected = new Map<string, number>();
  private readonly buckets = new Array<number>(BUCKETS.length).fill(0);
  private count = 0;
  private sum = 0;
  private readonly namespaceLookups = { hit: 0, miss: 0 };
  private readonly mutations = new Map<string, number>();
  private mutationErrors = 0;
  tlsReloads = 0;
  /** The Namespace cache's state, when the server has one. */
  namespaceCache?: () => { size: number; refreshErrors: number };

  /** A namespaced request looked up in the Namespace cache: found, or decided without namespace labels. */
  namespaceLookup(found: boolean): void {
    this.namespaceLookups[found ? 'hit' : 'miss'] += 1;
  }

  observe(decision: Decision, seconds: number): void {
    const action = decisionAction(decision);
    this.decisions.set(action, (this.decisions.get(action) ?? 0) + 1);
    for (const v of decision.violations) {
      const key = `${v.control}\u0000${v.action}`;
      this.violations.set(key, (this.violations.get(key) ?? 0) + 1);
    }
    this.count += 1;
    this.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) this.buckets[i]! += 1;
  }

  /** A request answered by the mutating webhook: what changed it, on the same latency histogram. */
  observeMutation(mutation: Mutation, seconds: number): void {
    for (const m of mutation.applied) this.mutations.set(m, (this.mutations.get(m) ?? 0) + 1);
    this.mutationErrors += mutation.errors.length;
    this.count += 1;
    this.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) this.buckets[i]! += 1;
  }

  reject(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  text(): string {
    const out: string[] = [
      '# HELP bulkhead_admission_decisions_total Admission requests decided, by strongest action taken.',
      '# TYPE bulkhead_admission_decisions_total counter',
      ...[...this.decisions].map(([a, n]) => `bulkhead_admission_decisions_total{action="${a}"} ${n}`),
      '# HELP bulkhead_admission_violations_total Violations found, by control and action.',
      '# TYPE bulkhead_admission_violations_total counter',
      ...[...this.violations].map(([k, n]) => {
        const [control, action] = k.split('\u0000') as [string, string];
        return `bulkhead_admission_violations_total{control="${escapeLabel(control)}",action="${action}"} ${n}`;
      }),
      '# HELP bulkhead_admission_mutations_total Objects changed by the mutating webhook, by default or rule.',
      '# TYPE bulkhead_admission_mutations_total counter',
      ...[...this.mutations].map(
        ([m, n]) => `bulkhead_admission_mutations_total{mutation="${escapeLabel(m)}"} ${n}`,
      ),
      '# HELP bulkhead_admission_mutation_errors_total Mutate rules that failed on an object (left out of its patch).',
      '# TYPE bulkhead_admission_mutation_errors_total counter',
      `bulkhead_admission_mutation_errors_total ${this.mutationErrors}`,
      '# HELP bulkhead_admission_rejected_requests_total Bodies refused before any decision, by reason.',
      '# TYPE bulkhead_admission_rejected_requests_total counter',
      ...[...this.rejected].map(([r, n]) => `bulkhead_admission_rejected_requests_total{reason="${r}"} ${n}`),
      '# HELP bulkhead_admission_request_duration_seconds Time from body received to response ready.',
      '# TYPE bulkhead_admission_request_duration_seconds histogram',
      ...BUCKETS.map(
        (b, i) => `bulkhead_admission_request_duration_seconds_bucket{le="${b}"} ${this.buckets[i]}`,
      ),
      `bulkhead_admission_request_duration_seconds_bucket{le="+Inf"} ${this.count}`,
      `bulkhead_admission_request_duration_seconds_sum ${this.sum}`,
      `bulkhead_admission_request_duration_seconds_count ${this.count}`,
      '# HELP bulkhead_admission_tls_reloads_total Certificate reloads after the files changed.',
      '# TYPE bulkhead_admission_tls_reloads_total counter',
      `bulkhead_admission_tls_reloads_total ${this.tlsReloads}`,
    ];
    const cache = this.namespaceCache?.();
    if (cache)
      out.push(
        '# HELP bulkhead_admission_namespace_lookups_total Namespaced requests by whether the Namespace cache had their namespace (miss: decided without namespace labels).',
        '# TYPE bulkhead_admission_namespace_lookups_total counter',
        `bulkhead_admission_namespace_lookups_total{result="hit"} ${this.namespaceLookups.hit}`,
        `bulkhead_admission_namespace_lookups_total{result="miss"} ${this.namespaceLookups.miss}`,
        '# HELP bulkhead_admission_namespaces_cached Namespaces in the cache after the last list.',
        '# TYPE bulkhead_admission_namespaces_cached gauge',
        `bulkhead_admission_namespaces_cached ${cache.size}`,
        '# HELP bulkhead_admission_namespace_refresh_errors_total Namespace lists that failed (the previous list stays in use).',
        '# TYPE bulkhead_admission_namespace_refresh_errors_total counter',
        `bulkhead_admission_namespace_refresh_errors_total ${cache.refreshErrors}`,
      );
    return `${out.join('\n')}\n`;
  }
}
