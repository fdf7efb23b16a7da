import { describe, expect, it } from 'vitest';
import type { AdmissionDecisionRecord } from '../store/admission-decisions.js';
import { decide } from './decide.js';
import { loadAdmissionPolicy } from './policy-load.js';
import { DecisionRecorder } from './recorder.js';
import { parseReview } from './review.js';
import { privilegedPod, reviewBody } from './test-support.js';

const decision = (uid: string, dryRun = false) =>
  decide(parseReview(reviewBody({ uid, dryRun, object: privilegedPod() })), loadAdmissionPolicy(undefined));

describe('DecisionRecorder', () => {
  it('writes queued decisions in batches, skips dry runs, and bounds the queue', async () => {
    const batches: AdmissionDecisionRecord[][] = [];
    const recorder = new DecisionRecorder({
      write: async (b) => {
        batches.push(b);
      },
      intervalMs: 60_000,
      batchSize: 1000,
      maxQueue: 3,
    });
    for (const uid of ['a', 'b', 'c', 'd', 'e']) recorder.record(decision(uid));
    recorder.record(decision('dry', true));
    expect(batches).toEqual([]); // nothing on the request path
    await recorder.close();
    expect(batches.map((b) => b.map((d) => d.uid))).toEqual([['c', 'd', 'e']]);
    expect(batches[0]![0]).toMatchObject({
      action: 'deny',
      allowed: false,
      kind: 'v1/Pod',
      namespace: 'apps',
    });
    expect(recorder.dropped).toBe(2);
    expect(recorder.written).toBe(3);
  });

  it('reports a failed write and keeps going', async () => {
    const errors: string[] = [];
    let fail = true;
    const written: string[] = [];
    const recorder = new DecisionRecorder({
      write: async (b) => {
        if (fail) throw new Error('database is down');
        written.push(...b.map((d) => d.uid));
      },
      onError: (e) => errors.push(e.message),
      intervalMs: 60_000,
    });
    recorder.record(decision('lost'));
    await recorder.flush();
    fail = false;
    recorder.record(decision('kept'));
    await recorder.close();
    expect(errors).toEqual(['database is down']);
    expect(written).toEqual(['kept']);
  });
});
