import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webhookCertificates } from '../src/tls/certificates.js';
import { corpusPath } from '../test/corpus.js';
import { type PacedLoad, pacedLoad } from './paced-load.js';
import type { Benchmark } from './types.js';

const RATE = 200;
const SECONDS = Number(process.env.BULKHEAD_BENCH_ADMISSION_SECONDS ?? 20);
const CONNECTIONS = 10;
const WARMUP = 3;
const REPO = fileURLToPath(new URL('..', import.meta.url));

/** The floor: Fastify over HTTPS answering every POST with a fixed allowed AdmissionReview. */
const FLOOR = `
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
const [cert, key] = [readFileSync(process.argv[1]), readFileSync(process.argv[2])];
const app = Fastify({ https: { cert, key }, bodyLimit: 3 * 1024 * 1024 });
app.post('/validate', async (req) => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: req.body.request.uid, allowed: true } }));
await app.listen({ port: 0, host: '127.0.0.1' });
process.stderr.write('ready on https://127.0.0.1:' + app.server.address().port + '\\n');
`;

/** Start a server process and wait for its "ready on URL" line on stderr. */
function startServer(
  command: string[],
  env: NodeJS.ProcessEnv,
  onLine?: (line: string) => void,
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, {
      cwd: REPO,
      env,
      stdio: ['ignore', onLine ? 'pipe' : 'ignore', 'pipe'],
    });
    if (onLine) {
      let rest = '';
      child.stdout!.on('data', (d: Buffer) => {
        const lines = (rest + d.toString()).split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) onLine(l);
      });
    }
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /ready on (https:\/\/[^\s]+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The five Kubewarden load-test bodies, parsed once; each request gets a fresh uid. */
function bodies(): Record<string, { request: Record<string, unknown> }>[] {
  const dir = corpusPath('admission', 'kubewarden-load-testing', 'direct-connection', 'lib');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8').replaceAll('$req_uid', 'placeholder')));
}

async function load(url: string, ca: string, seconds = SECONDS): Promise<PacedLoad> {
  const all = bodies();
  return pacedLoad({
    url: `${url}/validate`,
    ca,
    rate: RATE,
    seconds,
    connections: CONNECTIONS,
    body: (i) => {
      const body = all[i % all.length]!;
      return JSON.stringify({ ...body, request: { ...body.request, uid: randomUUID() } });
    },
  });
}

/**
 * `bulkhead admission serve` (built CLI, TLS, the PSS-restricted bundle, decisions logged and stored) under
 * 200 requests/s of the Kubewarden load-test bodies for ~20 s, against the floor: a trivial Fastify HTTPS
 * handler under the same load in the same run. Both servers run in their own process; latencies are p99.
 */
export const admission: Benchmark = {
  name: 'admission',
  description: `admission serve (TLS, PSS restricted) at ${RATE} req/s for ${SECONDS} s vs a trivial Fastify HTTPS handler`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-admission-'));
    const certs = webhookCertificates(['localhost'], { ipAddresses: ['127.0.0.1'] });
    writeFileSync(join(dir, 'tls.crt'), certs.cert);
    writeFileSync(join(dir, 'tls.key'), certs.key);
    writeFileSync(
      join(dir, 'policy.yaml'),
      'apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\nstandard: pss-restricted\nexemptNamespaces: []\n',
    );
    const env = { ...process.env, BULKHEAD_HOME: join(dir, 'home') };
    try {
      const floorServer = await startServer(
        ['--input-type=module', '-e', FLOOR, join(dir, 'tls.crt'), join(dir, 'tls.key')],
        env,
      );
      // A short unmeasured run first on each: TLS handshakes, JIT and the store's first writes are not latency.
      const floor = await load(floorServer.url, certs.caCert, WARMUP)
        .then(() => load(floorServer.url, certs.caCert))
        .finally(() => stop(floorServer.child));
      // The server's own time per decision, from its JSON log lines (body received → response ready).
      const serverMs: number[] = [];
      let measuring = false;
      const bulkhead = await startServer(
        [
          join(REPO, 'dist', 'cli', 'main.js'),
          'admission',
          'serve',
          '--port',
          '0',
          '--tls-cert',
          join(dir, 'tls.crt'),
          '--tls-key',
          join(dir, 'tls.key'),
          '--policy',
          join(dir, 'policy.yaml'),
          // Extra serve flags for diagnosis, e.g. BULKHEAD_BENCH_ADMISSION_EXTRA=--no-store.
          ...(process.env.BULKHEAD_BENCH_ADMISSION_EXTRA ?? '').split(' ').filter(Boolean),
        ],
        env,
        process.env.BULKHEAD_BENCH_ADMISSION_NOLOG
          ? undefined
          : (line) => {
              if (measuring) serverMs.push((JSON.parse(line) as { ms: number }).ms);
            },
      );
      const subject = await load(bulkhead.url, certs.caCert, WARMUP)
        .then(() => {
          measuring = true;
          return load(bulkhead.url, certs.caCert);
        })
        .finally(() => stop(bulkhead.child));
      const met = subject.p99 <= 10 && subject.errors === 0 && subject.non2xx === 0;
      const line = (name: string, l: PacedLoad) =>
        `${name}: ${l.requests} requests, p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, max ${l.max.toFixed(1)} ms, ${l.errors} errors, ${l.non2xx} non-2xx`;
      serverMs.sort((a, b) => a - b);
      const q = (p: number) => serverMs[Math.floor(p * (serverMs.length - 1))]?.toFixed(2) ?? '?';
      return {
        subject: { label: 'admission serve p99', ms: subject.p99 },
        baseline: { label: 'trivial Fastify HTTPS p99', ms: floor.p99 },
        target: 'p99 ≤ 10 ms and 0 errors',
        met,
        notes: [
          line('admission serve', subject),
          line('floor', floor),
          `admission serve, time inside the server per decision: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms (${serverMs.length} decisions)`,
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
