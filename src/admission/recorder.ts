import type { AdmissionDecisionRecord } from '../store/admission-decisions.js';
import type { Decision } from './decide.js';
import { decisionAction } from './metrics.js';
import type { Mutation } from './mutate.js';

/** The stored form of a decision (the request's object is never stored). */
export function decisionRecord(decision: Decision, at = new Date()): AdmissionDecisionRecord {
  return {
    uid: decision.review.response.uid,
    decidedAt: at.toISOString(),
    operation: decision.operation,
    ...(decision.kind ? { kind: decision.kind } : {}),
    ...(decision.namespace ? { namespace: decision.namespace } : {}),
    ...(decision.name ? { name: decision.name } : {}),
    ...(decision.username ? { username: decision.username } : {}),
    allowed: decision.allowed,
    action: decisionAction(decision),
    ...(decision.skipped ? { skipped: decision.skipped } : {}),
    violations: decision.violations.map((v) => ({ ...v })),
  };
}

/** The webhook's log line for a decision: one JSON object and a newline; never the request's object. */
export function decisionLogLine(d: Decision, ms: number, at = new Date()): string {
  return `${JSON.stringify({
    time: at.toISOString(),
    uid: d.review.response.uid,
    operation: d.operation,
    ...(d.kind ? { kind: d.kind } : {}),
    ...(d.namespace ? { namespace: d.namespace } : {}),
    ...(d.name ? { name: d.name } : {}),
    ...(d.username ? { user: d.username } : {}),
    allowed: d.allowed,
    dryRun: d.dryRun,
    ...(d.skipped ? { skipped: d.skipped } : {}),
    violations: d.violations.map((v) => ({ control: v.control, action: v.action })),
    ms: Math.round(ms * 1000) / 1000,
  })}\n`;
}

/** The log line of a mutating answer: what changed the object (`mutations`), never the object or the patch. */
export function mutationLogLine(m: Mutation, ms: number, at = new Date()): string {
  return `${JSON.stringify({
    time: at.toISOString(),
    uid: m.review.response.uid,
    webhook: 'mutate',
    operation: m.operation,
    ...(m.kind ? { kind: m.kind } : {}),
    ...(m.namespace ? { namespace: m.namespace } : {}),
    ...(m.name ? { name: m.name } : {}),
    ...(m.username ? { user: m.username } : {}),
    dryRun: m.dryRun,
    ...(m.skipped ? { skipped: m.skipped } : {}),
    mutations: m.applied,
    patched: m.review.response.patch !== undefined,
    ...(m.errors.length ? { errors: m.errors } : {}),
    ms: Math.round(ms * 1000) / 1000,
  })}\n`;
}

export interface RecorderOptions {
  /** Writes one batch; errors are reported, the batch is dropped (the webhook never waits on the store). */
  write(batch: AdmissionDecisionRecord[]): Promise<void>;
  onError?: (error: Error) => void;
  /** Flush at most this often (ms). Default 250. */
  intervalMs?: number;
  /** Rows per write; the event loop is yielded between writes (SQLite writes block it). Default 50. */
  batchSize?: number;
  /** Drop the oldest beyond this many waiting (a store outage must not exhaust memory). Default 50,000. */
  maxQueue?: number;
}

/**
 * Queues decisions on the request path (an array push) and writes them in batches from a timer, one write at a
 * time. dryRun decisions are never queued: they have no side effects.
 */
export class DecisionRecorder {
  private queue: AdmissionDecisionRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  dropped = 0;
  written = 0;

  constructor(private readonly options: RecorderOptions) {}

  record(decision: Decision, at = new Date()): void {
    if (decision.dryRun) return;
    this.queue.push(decisionRecord(decision, at));
    const max = this.options.maxQueue ?? 50_000;
    if (this.queue.length > max) {
      const excess = this.queue.length - max;
      this.queue.splice(0, excess);
      this.dropped += excess;
    }
    this.schedule(this.options.intervalMs ?? 250);
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  /** Write everything queued so far, batch by batch (waits for a write in progress first). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    while (this.queue.length > 0) {
      await this.writeBatch(this.queue.splice(0, this.options.batchSize ?? 50));
      // Let waiting requests run between two writes.
      if (this.queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async writeBatch(batch: AdmissionDecisionRecord[]): Promise<void> {
    this.writing = this.options
      .write(batch)
      .then(() => {
        this.written += batch.length;
      })
      .catch((error: unknown) => {
        this.dropped += batch.length;
        this.options.onError?.(error as Error);
      })
      .finally(() => {
        this.writing = undefined;
      });
    await this.writing;
  }

  /** Stop the timer and write what is left. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
