import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_DIGEST,
  dockerBenchmark,
  HOST,
  imageScan,
  kubernetesScan,
  MANIFEST_DIGEST,
} from '../../src/center/test-support/documents.js';
import { freshDatabase, type TestDatabase } from '../../src/store/test-support/dialects.js';
import { runBuiltCli } from './cli-support.js';
import { type ServeProcess, startServe } from './serve-process.js';

// `kill -9` of serve while a stream of reports comes in: after a restart, every report answered 202 is there
// whole, and every other one is either whole or absent — never in part. Each round kills the server at another
// moment (after another number of acknowledged reports, then a seeded few milliseconds later, with requests in
// flight), restarts it on the same store and checks every report pushed so far.

/** A small seeded generator (mulberry32): the same moments on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A pushed document and what a reader must find of it when it is there whole. */
interface Pushed {
  name: string;
  kind: string;
  body: string;
  /** Each probe answers what it finds; `whole` is what a whole report gives, `absent` what none gives. */
  probes: { url: string; whole: number; absent: number; read: 'status' | 'total' }[];
  /** The report id of a 202, if one came. */
  acked?: number;
}

const REGISTRY = 'registry.example:5000';
const enc = encodeURIComponent;
const hex = (n: number, fill: string) => n.toString(16).padStart(64, fill);

/** An ImageScan of its own image and repository, with 100–300 findings. */
function imageDocument(n: number, random: () => number): Pushed {
  const count = 100 + Math.floor(random() * 201);
  const vulns = Array.from({ length: count }, (_, j) => ({
    id: `CVE-2026-${n}${String(j).padStart(4, '0')}`,
    pkg: `lib-${j % 25}`,
  }));
  const manifest = `sha256:${hex(n, 'a')}`;
  const config = `sha256:${hex(n, 'c')}`;
  const text = JSON.stringify(imageScan(vulns))
    .replaceAll(MANIFEST_DIGEST, manifest)
    .replaceAll(CONFIG_DIGEST, config)
    .replaceAll('team/web', `team/app-${n}`);
  const image = `image:${manifest}`;
  return {
    name: `image ${n}`,
    kind: 'ImageScan',
    body: text,
    probes: [
      { url: `/resources/${enc(image)}`, whole: 200, absent: 404, read: 'status' },
      {
        url: `/resources/${enc(`repository:${REGISTRY}/team/app-${n}`)}`,
        whole: 200,
        absent: 404,
        read: 'status',
      },
      { url: `/findings?limit=1&resource=${enc(image)}`, whole: count, absent: 0, read: 'total' },
      { url: `/findings?limit=1&state=open&resource=${enc(image)}`, whole: count, absent: 0, read: 'total' },
    ],
  };
}

/** A CIS Docker benchmark of its own host, control 5.4 failing on each of its 10–30 containers. */
function benchmarkDocument(n: number, random: () => number): Pushed {
  const host = `host-${n}`;
  const containers = Array.from({ length: 10 + Math.floor(random() * 21) }, (_, k) => ({
    id: `${n}c${String(k).padStart(3, '0')}`.padEnd(12, '0'),
    name: `app-${k}`,
  }));
  const text = JSON.stringify(
    dockerBenchmark(
      containers,
      containers.map((c) => c.id),
    ),
  ).replaceAll(`"${HOST}"`, `"${host}"`);
  const first = `container:${host}/${containers[0]!.id}`;
  const last = `container:${host}/${containers.at(-1)!.id}`;
  return {
    name: `benchmark ${host}`,
    kind: 'DockerBenchmark',
    body: text,
    probes: [
      { url: `/resources/${enc(`host:${host}`)}`, whole: 200, absent: 404, read: 'status' },
      { url: `/resources/${enc(`daemon:${host}`)}`, whole: 200, absent: 404, read: 'status' },
      {
        url: `/resources?limit=1&parent=${enc(`daemon:${host}`)}`,
        whole: containers.length,
        absent: 0,
        read: 'total',
      },
      {
        url: `/control-results?limit=1&state=open&resource=${enc(`daemon:${host}`)}`,
        whole: 1,
        absent: 0,
        read: 'total',
      },
      {
        url: `/control-results?limit=1&state=open&resource=${enc(first)}`,
        whole: 1,
        absent: 0,
        read: 'total',
      },
      {
        url: `/control-results?limit=1&state=open&resource=${enc(last)}`,
        whole: 1,
        absent: 0,
        read: 'total',
      },
    ],
  };
}

/** A KubernetesScan of its own cluster: K8S-POD-01 failing on each of 20–60 Deployments in `shop`. */
function kubernetesDocument(n: number, random: () => number): Pushed {
  const cluster = `cluster-${n}`;
  const base = kubernetesScan();
  const template = base.results[0]!;
  const names = Array.from({ length: 20 + Math.floor(random() * 41) }, (_, k) => `web-${k}`);
  const ref = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name });
  const doc = {
    ...base,
    origin: { cluster },
    assessed: names.map(ref),
    results: names.map((name) => ({ ...template, resource: ref(name) })),
  };
  const workload = (name: string) => `workload:${cluster}/shop/Deployment/${name}`;
  return {
    name: `k8s ${cluster}`,
    kind: 'KubernetesScan',
    body: JSON.stringify(doc),
    probes: [
      { url: `/resources/${enc(`cluster:${cluster}`)}`, whole: 200, absent: 404, read: 'status' },
      {
        url: `/resources?limit=1&parent=${enc(`namespace:${cluster}/shop`)}`,
        whole: names.length,
        absent: 0,
        read: 'total',
      },
      {
        url: `/control-results?limit=1&state=open&resource=${enc(workload(names[0]!))}`,
        whole: 1,
        absent: 0,
        read: 'total',
      },
      {
        url: `/control-results?limit=1&state=open&resource=${enc(workload(names.at(-1)!))}`,
        whole: 1,
        absent: 0,
        read: 'total',
      },
    ],
  };
}

const MAKERS = [imageDocument, imageDocument, benchmarkDocument, kubernetesDocument];

interface Center {
  serve?: ServeProcess;
  agent: string;
  reader: string;
  /** Set when the kill is sent: requests failing after it count as not acknowledged. */
  killed: boolean;
  /** Reports sent and not yet answered. */
  inFlight: number;
}

async function get(center: Center, path: string): Promise<Response> {
  return fetch(`${center.serve!.url}/api/v1${path}`, {
    headers: { authorization: `Bearer ${center.reader}` },
  });
}

async function observe(center: Center, doc: Pushed): Promise<number[]> {
  return Promise.all(
    doc.probes.map(async (probe) => {
      const res = await get(center, probe.url);
      if (probe.read === 'status') return res.status;
      expect(res.status, probe.url).toBe(200);
      return ((await res.json()) as { total: number }).total;
    }),
  );
}

/** Push documents `concurrency` at a time until they are all sent or the server dies; resolves when every request has settled. */
async function pushStream(
  center: Center,
  docs: Pushed[],
  concurrency: number,
  onAck: () => void,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < docs.length) {
      const doc = docs[next++]!;
      try {
        center.inFlight += 1;
        const res = await fetch(`${center.serve!.url}/api/v1/reports`, {
          method: 'POST',
          headers: { authorization: `Bearer ${center.agent}`, 'content-type': 'application/json' },
          body: doc.body,
        }).finally(() => {
          center.inFlight -= 1;
        });
        if (res.status === 202) {
          const answer = (await res.json()) as { id: number; kind: string };
          expect(answer.kind).toBe(doc.kind);
          doc.acked = answer.id;
          onAck();
        } else {
          throw new Error(`${doc.name}: ${res.status} ${await res.text()}`);
        }
      } catch (error) {
        // the server died under this request: it counts as not acknowledged; stop this worker
        if (!center.killed) throw error;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Run `each` over `items`, `width` at a time. */
async function inBatches<T>(
  items: readonly T[],
  width: number,
  each: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(each));
}

/**
 * Every acknowledged document is there whole (its report too); every other one is whole or absent. The number of
 * stored reports equals the number of documents found whole: no report row without what it filed, nor the reverse.
 */
async function checkAll(center: Center, docs: readonly Pushed[]): Promise<void> {
  let whole = 0;
  await inBatches(docs, 8, async (doc) => {
    const seen = await observe(center, doc);
    const expectedWhole = doc.probes.map((p) => p.whole);
    if (doc.acked !== undefined) {
      expect(seen, `${doc.name} was acknowledged as report ${doc.acked}`).toEqual(expectedWhole);
      const report = await get(center, `/reports/${doc.acked}`);
      expect(report.status, `${doc.name}: GET /reports/${doc.acked}`).toBe(200);
      expect(((await report.json()) as { kind: string }).kind).toBe(doc.kind);
      whole += 1;
    } else if (JSON.stringify(seen) === JSON.stringify(expectedWhole)) {
      whole += 1;
    } else {
      expect(seen, `${doc.name} was not acknowledged: whole or absent, never in part`).toEqual(
        doc.probes.map((p) => p.absent),
      );
    }
  });
  const reports = (await (await get(center, '/reports?limit=1')).json()) as { total: number };
  expect(reports.total, 'stored reports').toBe(whole);
}

async function crashRounds(dialect: 'sqlite' | 'postgres', seed: number, rounds: number[]) {
  const random = seeded(seed);
  const home = mkdtempSync(join(tmpdir(), 'bulkhead-crash-'));
  let database: TestDatabase | undefined;
  const globals = ['--home', home];
  if (dialect === 'postgres') {
    database = await freshDatabase('postgres');
    globals.push('--database', database.url);
  }
  const token = async (role: string) => {
    const run = await runBuiltCli([...globals, 'token', 'create', '--name', role, '--role', role]);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout.trim();
  };
  const center: Center = { agent: '', reader: '', killed: false, inFlight: 0 };
  try {
    center.serve = await startServe(globals);
    center.agent = await token('agent');
    center.reader = await token('viewer');
    // the server sees CLI-made tokens within 5 s
    const start = Date.now();
    while ((await get(center, '/reports?limit=1')).status !== 200) {
      if (Date.now() - start > 6000) throw new Error('serve never saw the reading token');
      await new Promise((r) => setTimeout(r, 100));
    }
    const all: Pushed[] = [];
    let n = 0;
    for (const killAfter of rounds) {
      const docs = Array.from({ length: killAfter + 12 }, () => {
        n += 1;
        return MAKERS[n % MAKERS.length]!(n, random);
      });
      all.push(...docs);
      const serve = center.serve;
      const delay = Math.floor(random() * 15);
      let acks = 0;
      let inFlightAtKill = 0;
      const stream = pushStream(center, docs, 4, () => {
        acks += 1;
        if (acks === killAfter)
          setTimeout(() => {
            center.killed = true;
            inFlightAtKill = center.inFlight;
            serve.child.kill('SIGKILL');
          }, delay);
      });
      await stream;
      await serve.exited;
      expect(serve.child.signalCode, 'serve was killed, not stopped').toBe('SIGKILL');
      const unacked = docs.filter((d) => d.acked === undefined).length;
      expect(unacked, 'the kill came before the stream ended').toBeGreaterThan(0);
      expect(inFlightAtKill, 'reports were in flight when the kill came').toBeGreaterThan(0);

      center.serve = await startServe(globals);
      center.killed = false;
      await checkAll(center, all);

      // what was lost can be pushed again and is then whole: nothing half-written stands in its way
      const lost = all.filter((d) => d.acked === undefined);
      await pushStream(center, lost, 4, () => {});
      expect(lost.every((d) => d.acked !== undefined)).toBe(true);
      await inBatches(lost, 8, async (doc) => {
        expect(await observe(center, doc), `${doc.name} pushed again`).toEqual(
          doc.probes.map((p) => p.whole),
        );
      });
      const reports = (await (await get(center, '/reports?limit=1')).json()) as { total: number };
      expect(reports.total, 'stored reports once the lost ones are pushed again').toBe(all.length);
    }
  } finally {
    if (center.serve?.child.exitCode === null && center.serve.child.signalCode === null) {
      center.serve.child.kill('SIGTERM');
      await center.serve.exited;
    }
    rmSync(home, { recursive: true, force: true });
    await database?.dispose();
  }
}

describe('kill -9 of serve while it ingests reports', () => {
  it('on SQLite keeps every acknowledged report whole and none in part, over three crashes', async () => {
    await crashRounds('sqlite', 13, [3, 11, 1]);
  }, 60_000);

  it('on PostgreSQL keeps every acknowledged report whole and none in part', async () => {
    await crashRounds('postgres', 31, [5, 2]);
  }, 60_000);
});
