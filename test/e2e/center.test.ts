/**
 * End to end: `bulkhead serve` as a real process on SQLite and on PostgreSQL, fed by the built CLI with `--push`
 * (`image scan` of a real image, `bench docker` on the insecure scenario host, `k8s scan` of the real-world
 * manifests), then read over the API: the three families with their health, the recommendations, the score, a
 * container linked to its image, idempotent re-pushes, a removed container's results resolved, and every GET
 * route of the OpenAPI document answering 2xx with a body its response schema accepts.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabase, type TestDatabase } from '../../src/store/test-support/dialects.js';
import { corpusPath } from '../corpus.js';
import { type DebianNpmImage, debianNpmImage, removeDockerImage } from '../fixtures/images.js';
import { Scenario } from '../scenarios.js';
import { CLI, REPO_ROOT, runBuiltCli } from './cli-support.js';

/** Old npm packages with advisories in the corpus's npm set (the same tree the image-scan tests use). */
const DEPS = { lodash: '4.17.4', ms: '0.7.0', moment: '2.11.1' };
const NSWG = corpusPath('vulndb', 'osv', 'npm', 'nodejs-security-wg', 'vuln', 'npm');
const MANIFESTS = corpusPath('manifests', 'real-world');
const scenario = new Scenario('docker-host-insecure.sh');
/** The scenario's own label: its `down` removes what carries it, our container too if a run stops early. */
const SCENARIO_LABEL = 'bulkhead.scenario=docker-host-insecure';
const OUR_LABEL = 'bulkhead.test=e2e-center';

interface Serve {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `bulkhead serve` on a free port over `database`; resolves once it says where it listens. */
async function startServe(database: TestDatabase): Promise<Serve> {
  const child = spawn(
    process.execPath,
    [CLI, '--home', database.home, '--database', database.url, 'serve', '--port', '0'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = /ready on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

let work: string;
/** The scanning side's home: advisories imported once, shared by both dialects' runs. */
let scanHome: string;
let dockerHost: string;
let image: DebianNpmImage;
/** The scanned image's id in the scenario daemon (config digest): what our container runs. */
let imageId: string;
let releaseScenario: (() => Promise<void>) | undefined;

const docker = (...args: string[]) =>
  execFileSync('docker', args, { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: dockerHost } }).trim();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'bulkhead-center-e2e-'));
  scanHome = join(work, 'scanner');
  // the same mode and settings as the scenario's own test; held for this file alone while it runs
  releaseScenario = await scenario.hold(['--private'], { BULKHEAD_SCN_CONFIG_ARG: 'separate' });
  dockerHost = (await scenario.dockerHost())!;
  image = debianNpmImage(DEPS);
  // no pulls: the image goes into the scenario daemon from its saved archive
  docker('load', '-q', '-i', image.dockerArchive);
  imageId = docker('image', 'inspect', '-f', '{{.Id}}', image.tag);
  const imported = await runBuiltCli(['--home', scanHome, 'db', 'import', NSWG, '--quiet']);
  expect(imported.code, imported.stderr).toBe(0);
}, 600_000);

afterAll(async () => {
  if (dockerHost) {
    for (const id of docker('ps', '-aq', '--filter', `label=${OUR_LABEL}`).split('\n').filter(Boolean))
      docker('rm', '-f', id);
    if (image) docker('rmi', '-f', image.tag);
  }
  if (image) removeDockerImage(image.tag);
  await releaseScenario?.();
  if (work) rmSync(work, { recursive: true, force: true });
}, 300_000);

interface Page<T> {
  items: T[];
  next: string | null;
  total: number;
}
interface ResourceItem {
  key: string;
  type: string;
  name: string;
  family: string;
  health: string;
  parent?: string;
  image?: string;
  attributes: Record<string, unknown>;
}
interface RecommendationItem {
  id: string;
  unhealthy: number;
  healthy: number;
  notApplicable: number;
  active: boolean;
}
interface ControlResultItem {
  id: number;
  resource: string;
  control: string;
  state: string;
  firstSeen: string;
  resolvedAt: string | null;
}

describe.each(DIALECTS)('the center end to end (%s)', (dialect) => {
  let database: TestDatabase;
  let serve: Serve;
  let agent: string;
  let reader: string;
  /** Our extra container on the scenario daemon, run from the scanned image. */
  let container: { id: string; name: string };
  const files = {
    image: '',
    bench: '',
    k8s: '',
  };

  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runBuiltCli(['--home', database.home, '--database', database.url, ...args], { env });
  const scan = (args: string[]) =>
    runBuiltCli(['--home', scanHome, ...args], {
      env: { BULKHEAD_TOKEN: agent, DOCKER_HOST: dockerHost, DOCKER_CONTENT_TRUST: '' },
    });
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${serve.url}/api/v1${path}`, { headers: { authorization: `Bearer ${reader}` } });
    expect(res.status, `${path}: ${res.status}`).toBe(200);
    return (await res.json()) as T;
  };
  /** Every item of a list, page by page. */
  const all = async <T>(path: string): Promise<T[]> => {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: Page<T> = await get<Page<T>>(
        `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...page.items);
      cursor = page.next;
    } while (cursor);
    return items;
  };
  const bench = async (output: string) => {
    const run = await scan([
      'bench',
      'docker',
      '--docker-host',
      dockerHost,
      '--no-store',
      '--format',
      'json',
      '--output',
      output,
      '--push',
      serve.url,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/pushed HostInventory .*\n.*pushed DockerBenchmark/);
  };
  /** What a re-push must leave as it was. */
  const counts = async () => {
    const total = async (path: string) =>
      (await get<Page<unknown>>(`${path}${path.includes('?') ? '&' : '?'}limit=1`)).total;
    const recommendations = await all<RecommendationItem>('/recommendations');
    return {
      resources: await total('/resources'),
      findings: await total('/findings'),
      controlResults: await total('/control-results'),
      openControlResults: await total('/control-results?state=open'),
      recommendations: recommendations
        .map((r) => `${r.id} ${r.unhealthy}/${r.healthy}/${r.notApplicable}`)
        .sort(),
    };
  };

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    files.image = join(database.home, 'image-scan.json');
    files.bench = join(database.home, 'bench.json');
    files.k8s = join(database.home, 'k8s-scan.json');
    serve = await startServe(database);
    const token = async (name: string, role: string) => {
      const run = await cli(['token', 'create', '--name', name, '--role', role]);
      expect(run.code, run.stderr).toBe(0);
      return run.stdout.trim();
    };
    agent = await token('ci', 'agent');
    reader = await token('reader', 'admin');
    // created (not started) from the image scanned below, before the first bench
    const name = `bulkhead-e2e-center-${dialect}-${process.pid}`;
    const id = docker(
      'create',
      '--name',
      name,
      '--label',
      SCENARIO_LABEL,
      '--label',
      OUR_LABEL,
      image.tag,
      '/bin/true',
    );
    container = { id, name };

    const imageRun = await scan([
      'image',
      'scan',
      `docker-daemon:${image.tag}`,
      '--no-store',
      '--format',
      'json',
      '--output',
      files.image,
      '--push',
      serve.url,
    ]);
    expect(imageRun.code, imageRun.stderr).toBe(0);
    expect(imageRun.stderr).toMatch(/pushed ImageScan/);
    await bench(files.bench);
    const k8sRun = await scan([
      'k8s',
      'scan',
      MANIFESTS,
      '--cluster-name',
      'e2e',
      '--no-store',
      '--format',
      'json',
      '--output',
      files.k8s,
      '--push',
      serve.url,
    ]);
    expect(k8sRun.code, k8sRun.stderr).toBe(0);
    expect(k8sRun.stderr).toMatch(/pushed KubernetesScan/);
  }, 300_000);

  afterAll(async () => {
    if (serve?.child.exitCode === null) {
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    }
    await database?.dispose();
  }, 60_000);

  it('lists the three families with the right health', async () => {
    const scanDoc = JSON.parse(readFileSync(files.image, 'utf8'));
    expect(scanDoc.vulnerabilities.length).toBeGreaterThan(0);
    expect(scanDoc.healthy).toBe(false);

    const registries = await all<ResourceItem>('/resources?family=registries');
    const images = registries.filter((r) => r.type === 'image');
    expect(images).toHaveLength(1);
    expect(images[0]!.health).toBe('unhealthy');
    const findings = await get<Page<unknown>>(
      `/findings?state=open&resource=${encodeURIComponent(images[0]!.key)}&limit=1`,
    );
    expect(findings.total).toBe(scanDoc.vulnerabilities.length);
    expect(registries.some((r) => r.type === 'registry' && r.health === 'unhealthy')).toBe(true);

    const hosts = await all<ResourceItem>('/resources?family=hosts');
    const host = hosts.find((r) => r.type === 'host')!;
    expect(host.health).toBe('unhealthy');
    expect(hosts.find((r) => r.type === 'daemon')!.parent).toBe(host.key);
    expect(hosts.filter((r) => r.type === 'container').length).toBeGreaterThan(1);

    const clusters = await all<ResourceItem>('/resources?family=clusters');
    expect(clusters.find((r) => r.type === 'cluster')).toMatchObject({
      key: 'cluster:e2e',
      health: 'unhealthy',
    });
    expect(clusters.some((r) => r.type === 'workload' && r.health === 'unhealthy')).toBe(true);

    const unhealthy = await all<ResourceItem>('/resources?health=unhealthy');
    expect(unhealthy.every((r) => r.health === 'unhealthy')).toBe(true);
    expect(unhealthy.map((r) => r.key)).toEqual(
      expect.arrayContaining([images[0]!.key, host.key, 'cluster:e2e']),
    );
  });

  it('lists active recommendations whose detail names their unhealthy resources, and a score in 0–100', async () => {
    const recommendations = await all<RecommendationItem>('/recommendations?active=true');
    expect(recommendations.length).toBeGreaterThan(5);
    for (const r of recommendations) expect(r.unhealthy, r.id).toBeGreaterThan(0);
    // at least one of each engine's: a CIS Docker control, a Kubernetes control, the vulnerability ones
    const ids = recommendations.map((r) => r.id);
    expect(ids.some((id) => id.startsWith('CIS-DOCKER-'))).toBe(true);
    expect(ids.length).toBeGreaterThan(ids.filter((id) => id.startsWith('CIS-DOCKER-')).length + 1);
    for (const r of recommendations) {
      const detail = await get<{ resources: { key: string; health: string }[] }>(
        `/recommendations/${encodeURIComponent(r.id)}`,
      );
      const failing = detail.resources.filter((x) => x.health === 'unhealthy');
      expect(failing, r.id).toHaveLength(r.unhealthy);
    }
    const score = await get<{ percentage: number | null; controls: unknown[] }>('/score');
    expect(score.percentage).not.toBeNull();
    expect(score.percentage).toBeGreaterThanOrEqual(0);
    expect(score.percentage).toBeLessThanOrEqual(100);
    expect(score.controls.length).toBeGreaterThan(0);
  });

  it('links our container to the scanned image, which lists where it runs', async () => {
    const hosts = await all<ResourceItem>('/resources?family=hosts&type=container');
    const ours = hosts.find((r) => r.name === container.name || r.key.endsWith(`/${container.id}`));
    expect(ours, 'our container').toBeDefined();
    const [imageResource] = await all<ResourceItem>('/resources?family=registries&type=image');
    expect(ours!.image).toBe(imageResource!.key);
    expect(JSON.stringify(imageResource!.attributes)).toContain(imageId);
    const detail = await get<{ runningIn?: { key: string }[] }>(
      `/resources/${encodeURIComponent(imageResource!.key)}`,
    );
    expect(detail.runningIn?.map((r) => r.key)).toContain(ours!.key);
  });

  it('changes no count when the same documents are pushed again', async () => {
    const before = await counts();
    expect(before.findings).toBeGreaterThan(0);
    for (const file of [files.image, files.bench, files.k8s]) {
      const res = await fetch(`${serve.url}/api/v1/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
        body: readFileSync(file),
      });
      expect(res.status, file).toBe(202);
    }
    expect(await counts()).toEqual(before);
  });

  it('resolves the results of a removed container on the next bench, leaving the others as they were', async () => {
    const hosts = await all<ResourceItem>('/resources?family=hosts&type=container');
    const ours = hosts.find((r) => r.key.endsWith(`/${container.id}`))!;
    const others = hosts.filter((r) => r !== ours);
    const ofResource = (key: string) =>
      all<ControlResultItem>(`/control-results?resource=${encodeURIComponent(key)}`);
    const oursBefore = (await ofResource(ours.key)).filter((r) => r.state === 'open');
    expect(oursBefore.length).toBeGreaterThan(0);
    const othersBefore = (await Promise.all(others.map((o) => ofResource(o.key)))).flat();
    expect(othersBefore.length).toBeGreaterThan(0);

    docker('rm', '-f', container.id);
    await bench(join(database.home, 'bench-2.json'));

    const oursAfter = await ofResource(ours.key);
    const wasOpen = new Set(oursBefore.map((r) => r.id));
    expect(oursAfter.filter((r) => r.state === 'open')).toEqual([]);
    for (const r of oursAfter.filter((x) => wasOpen.has(x.id))) {
      expect(r.state, r.control).toBe('resolved');
      expect(r.resolvedAt, r.control).not.toBeNull();
    }
    const othersAfter = (await Promise.all(others.map((o) => ofResource(o.key)))).flat();
    const view = (r: ControlResultItem) => ({
      id: r.id,
      state: r.state,
      firstSeen: r.firstSeen,
      resolvedAt: r.resolvedAt,
    });
    expect(othersAfter.map(view).sort((a, b) => a.id - b.id)).toEqual(
      othersBefore.map(view).sort((a, b) => a.id - b.id),
    );
  });

  it('answers every GET route of the OpenAPI document with a body its response schema accepts', async () => {
    const res = await fetch(`${serve.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      components: Record<string, unknown>;
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string; required?: boolean }[];
            responses: Record<string, { content?: Record<string, { schema: object }> }>;
          }
        >
      >;
    };
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);

    const [imageResource] = await all<ResourceItem>('/resources?family=registries&type=image');
    const [recommendation] = await all<RecommendationItem>('/recommendations?active=true');
    const [report] = await all<{ id: string }>('/reports');
    const [user] = await all<{ id: number }>('/users');
    const [token] = await all<{ id: number }>('/tokens');
    const exception = await fetch(`${serve.url}/api/v1/exceptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' },
      // an advisory no image has: the exception exists for the walk and covers nothing
      body: JSON.stringify({
        targets: ['CVE-2099-0002'],
        selector: { resource: imageResource!.key },
        reason: 'accepted until the next release',
      }),
    });
    const exceptionBody = await exception.json();
    expect(exception.status, JSON.stringify(exceptionBody)).toBe(201);
    const digest = String(imageResource!.key).replace(/^image:/, '');
    const pathValues: Record<string, string> = {
      key: imageResource!.key,
      id: '',
      digest,
    };
    const idFor: Record<string, string> = {
      '/recommendations/{id}': recommendation!.id,
      '/reports/{id}': String(report!.id),
      '/reports/{id}/document': String(report!.id),
      '/users/{id}': String(user!.id),
      '/tokens/{id}': String(token!.id),
      '/exceptions/{id}': String((exceptionBody as { id: number }).id),
    };
    const queryValues: Record<string, string> = {
      standard: 'cis-docker',
      name: 'lodash',
    };

    const walked: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      const op = methods.get;
      if (!op || path.endsWith('/openapi.json')) continue;
      const relative = path.replace(/^\/api\/v1/, '');
      let url = relative.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = name === 'id' ? idFor[relative] : pathValues[name];
        expect(value, `${path}: a value for {${name}}`).toBeTruthy();
        return encodeURIComponent(value!);
      });
      // the required ones, and those a route answers 400 without (packages: a name or a purl)
      const required = (op.parameters ?? []).filter(
        (p) => p.in === 'query' && (p.required || (relative === '/packages' && p.name === 'name')),
      );
      if (required.length)
        url += `?${required.map((p) => `${p.name}=${encodeURIComponent(queryValues[p.name] ?? '')}`).join('&')}`;
      const answer = await fetch(`${serve.url}/api/v1${url}`, {
        headers: { authorization: `Bearer ${reader}` },
      });
      const status = String(answer.status);
      expect(answer.status, `${url}: ${status}`).toBeGreaterThanOrEqual(200);
      expect(answer.status, `${url}: ${status}`).toBeLessThan(300);
      const schema = op.responses[status]?.content?.['application/json']?.schema;
      expect(schema, `${path}: a schema for ${status}`).toBeDefined();
      const validate = ajv.compile({ ...schema, components: doc.components });
      const body = (await answer.json()) as { items?: unknown };
      expect(validate(body), `${url}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      // lists hold items, so that their item schemas are checked too (no runtime engine pushed alerts)
      if (Array.isArray(body.items) && relative !== '/alerts')
        expect(body.items.length, `${url}: items`).toBeGreaterThan(0);
      walked.push(relative);
    }
    expect(walked).toEqual(
      expect.arrayContaining([
        '/resources',
        '/resources/{key}',
        '/findings',
        '/control-results',
        '/alerts',
        '/recommendations',
        '/recommendations/{id}',
        '/score',
        '/compliance',
        '/exceptions',
        '/exceptions/{id}',
        '/reports',
        '/reports/{id}',
        '/reports/{id}/document',
        '/packages',
        '/images/{digest}/verdict',
        '/tokens',
        '/users',
        '/users/{id}',
        '/audit-log',
        '/session',
      ]),
    );
  });
  it("gates image scan --push --exit-code on the center's view: its exceptions clear what remained", async () => {
    const gate = () =>
      scan([
        'image',
        'scan',
        `docker-daemon:${image.tag}`,
        '--no-store',
        '--format',
        'json',
        '--output',
        join(database.home, 'gate.json'),
        '--push',
        serve.url,
        '--exit-code',
        '3',
        // the test's advisory data has no Debian 12 namespace: the gate here is about the center's exceptions
        '--allow-uncovered',
      ]);
    const before = await gate();
    expect(before.code, before.stderr).toBe(3);
    const [imageResource] = await all<ResourceItem>('/resources?family=registries&type=image');
    const open = await all<{ vulnerability: string }>(
      `/findings?resource=${encodeURIComponent(imageResource!.key)}&state=open`,
    );
    expect(open.length).toBeGreaterThan(0);
    const exception = await fetch(`${serve.url}/api/v1/exceptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        targets: [...new Set(open.map((f) => f.vulnerability))],
        selector: { image: imageResource!.key.replace(/^image:/, '') },
        reason: 'accepted: the vulnerable code paths are not reachable in this service',
      }),
    });
    expect(exception.status).toBe(201);
    const after = await gate();
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toMatch(/the center's exceptions cover the remaining findings/);
  });
});
