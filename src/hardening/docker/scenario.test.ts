import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../../../test/e2e/cli-support.js';
import { type ExpectationRow, Scenario } from '../../../test/scenarios.js';
import { EngineClient, parseDockerHost } from './evidence/engine-client.js';
import type { BenchmarkDocument } from './report.js';
import { runDockerBenchmark } from './run-benchmark.js';

type Doc = BenchmarkDocument;

const scenario = new Scenario('docker-host-insecure.sh');
const home = mkdtempSync(join(tmpdir(), 'bulkhead-bench-docker-'));
const env = { DOCKER_CONTENT_TRUST: '', BULKHEAD_HOME: home };

async function bench(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const run = await runBuiltCli(['bench', 'docker', ...args], { env: { ...env, ...extraEnv } });
  return run;
}

async function benchJson(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Doc> {
  const run = await bench(['--format', 'json', ...args], extraEnv);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Doc;
}

function withoutTime(doc: Doc) {
  const { generatedAt: _, ...rest } = doc;
  return rest;
}

describe('bench docker on the insecure scenario (private daemon)', () => {
  let dockerHost: string;
  let rows: ExpectationRow[];
  let first: Doc;
  let second: Doc;
  let release: (() => Promise<void>) | undefined;
  const hostDependent = new Map<string, Set<string>>();

  beforeAll(async () => {
    // the daemon gets "--config-file PATH" as two words, the form docker-bench-security misses
    release = await scenario.hold(['--private'], { BULKHEAD_SCN_CONFIG_ARG: 'separate' });
    dockerHost = (await scenario.dockerHost())!;
    rows = await scenario.expectations();
    const client = new EngineClient(parseDockerHost(dockerHost));
    const list = await client.get<{ Names: string[]; Labels: Record<string, string> }[]>(
      '/containers/json?all=1&filters=%7B%22label%22%3A%5B%22bulkhead.scenario%22%5D%7D',
    );
    client.close();
    for (const c of list)
      hostDependent.set(c.Names[0]!.replace(/^\//, ''), new Set((c.Labels['cis.hostdep'] ?? '').split(',')));
    first = await benchJson(['--docker-host', dockerHost]);
    second = await benchJson(['--docker-host', dockerHost]);
  }, 300_000);

  afterAll(async () => {
    await release?.();
    rmSync(home, { recursive: true, force: true });
  }, 300_000);

  it('reports the whole benchmark with the inventory, and no control in error', () => {
    expect(first.kind).toBe('DockerBenchmark');
    expect(first.results).toHaveLength(118);
    expect(first.host.containers).toBe(hostDependent.size);
    expect(first.host.dockerVersion).toMatch(/^\d+\./);
    expect(first.results.filter((r) => r.status === 'error').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
  });

  it('reports every expectation of the scenario as failing on the right container or object', () => {
    expect(rows.length).toBeGreaterThan(100);
    const misses: string[] = [];
    for (const row of rows) {
      const r = first.results.find((x) => x.id === row.id);
      if (!r) {
        misses.push(`${row.id} missing`);
        continue;
      }
      if (r.status === 'not_applicable' && hostDependent.get(row.target)?.has(row.id)) continue;
      const onTarget =
        row.target === 'dockerd'
          ? r.resources.some((x) => x.type === 'daemon')
          : r.resources.some((x) => x.name === row.target || x.id === row.target);
      if (r.status !== 'fail' || !onTarget)
        misses.push(
          `${row.scope} ${row.target} ${row.id}: ${r.status} on ${r.resources.map((x) => x.name).join(', ')}`,
        );
    }
    expect(misses).toEqual([]);
  });

  it('fails nothing on the secure control container', () => {
    const secure = rows.filter((r) => r.target === 'bkscn-secure').map((r) => r.id);
    const failing = first.results
      .filter(
        (r) =>
          (r.status === 'fail' || r.status === 'warn') && r.resources.some((x) => x.name === 'bkscn-secure'),
      )
      .map((r) => r.id)
      .filter((id) => !secure.includes(id));
    expect(failing).toEqual([]);
    expect(first.results.find((r) => r.id === '4.6')!.resources.map((x) => x.name)).not.toContain(
      'bulkhead-scn/hardened:1.0',
    );
  });

  it('avoids the docker-bench-security defects seen on this scenario', () => {
    const r = (id: string) => first.results.find((x) => x.id === id)!;
    const names = (id: string) => r(id).resources.map((x) => x.name);
    // settings from a --config-file given as two words, and that file's own ownership and mode
    for (const id of ['2.3', '2.4', '2.8', '2.11', '3.17', '3.18']) expect(r(id).status, id).toBe('fail');
    expect(names('3.17')).toEqual([expect.stringMatching(/\/etc\/daemon\.json$/)]);
    // the containerd socket dockerd manages under its exec root is found, not reported missing
    expect(r('3.23').status).toBe('pass');
    expect(JSON.stringify(r('3.23').evidence)).toMatch(/exec-root\/containerd\/containerd\.sock/);
    // created (never started) containers are assessed; restart=always fails 5.15
    expect(names('5.5')).toEqual(['bkscn-privileged']);
    expect(names('5.14')).toEqual(['bkscn-wildcard-port']);
    expect(names('5.15')).toEqual(['bkscn-ports']);
    // update instruction after an ARG (build-argument prefix in the history)
    expect(names('4.7')).toEqual(['bulkhead-scn/build-smells:1.0']);
  });

  it('gives identical results on two runs, and through the daemon TCP socket', async () => {
    expect(withoutTime(second)).toEqual(withoutTime(first));
    const tcp = await benchJson(['--docker-host', 'tcp://127.0.0.1:2375']);
    expect(tcp.results).toEqual(first.results);
  });

  it('gives the same document through the entry point, with the HostInventory of the same evidence', async () => {
    // the CLI runs saw DOCKER_CONTENT_TRUST set and empty (4.5 reads this process's environment)
    const saved = process.env.DOCKER_CONTENT_TRUST;
    process.env.DOCKER_CONTENT_TRUST = '';
    const outcome = await runDockerBenchmark({ dockerHost, root: '/' }).finally(() => {
      if (saved === undefined) delete process.env.DOCKER_CONTENT_TRUST;
      else process.env.DOCKER_CONTENT_TRUST = saved;
    });
    expect(withoutTime(JSON.parse(JSON.stringify(outcome.document)))).toEqual(withoutTime(first));
    expect(outcome.gate).toEqual({ exitCode: 0 });
    expect(first).toMatchObject({
      engine: 'docker-benchmark',
      origin: { host: first.host.hostname },
      complete: true,
    });
    expect(
      first
        .assessed!.filter((r) => r.type === 'container')
        .map((r) => r.name)
        .sort(),
    ).toEqual([...hostDependent.keys()].sort());
    expect(first.assessed!.slice(0, 2).map((r) => r.type)).toEqual(['host', 'daemon']);
    const inventory = outcome.inventory;
    expect(inventory).toMatchObject({
      kind: 'HostInventory',
      engine: 'docker-benchmark',
      origin: { host: first.host.hostname },
      complete: true,
      host: { hostname: first.host.hostname, operatingSystem: first.host.operatingSystem },
      daemon: {
        version: first.host.dockerVersion,
        containers: first.host.containers,
        images: first.host.images,
      },
    });
    expect(inventory.containers.map((c) => c.name).sort()).toEqual([...hostDependent.keys()].sort());
    for (const c of inventory.containers) {
      expect(c.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(inventory.images.map((i) => i.id)).toContain(c.imageId);
    }
    expect(inventory.daemon.running).toBe(inventory.containers.filter((c) => c.running).length);
    const named = await runDockerBenchmark({ dockerHost, root: '/', checks: ['5.5'], hostName: 'scn-01' });
    expect(named.document).toMatchObject({ origin: { host: 'scn-01' }, complete: false });
  });

  it('renders the table grouped by section, JUnit and SARIF', async () => {
    const table = await bench(['--docker-host', dockerHost, '--no-store']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('5 Container runtime configuration');
    expect(table.stdout).toMatch(/5\.5 +fail +CRITICAL/);
    const junit = await bench([
      '--docker-host',
      dockerHost,
      '--no-store',
      '--format',
      'junit',
      '--check',
      '5',
    ]);
    expect(junit.stdout).toMatch(/<testsuites name="CIS Docker Benchmark v1.8.0" tests="32"/);
    const sarif = await bench([
      '--docker-host',
      dockerHost,
      '--no-store',
      '--format',
      'sarif',
      '--check',
      '5.5',
    ]);
    const log = JSON.parse(sarif.stdout) as { runs: { results: { locations: unknown[] }[] }[] };
    expect(log.runs[0]!.results).toHaveLength(1);
  });

  it('applies --level, --check, --exclude-container and the --exit-code gate', async () => {
    const level1 = await benchJson(['--docker-host', dockerHost, '--no-store', '--level', '1']);
    expect(level1.results.every((r) => r.level === 1)).toBe(true);
    const excluded = await benchJson([
      '--docker-host',
      dockerHost,
      '--no-store',
      '--check',
      '5.5',
      '--exclude-container',
      'bkscn-priv*',
    ]);
    expect(excluded.results[0]!.status).toBe('pass');
    expect(excluded.host.excludedContainers).toEqual(['bkscn-privileged']);
    const gate = await bench([
      '--docker-host',
      dockerHost,
      '--no-store',
      '--check',
      '5.5',
      '--exit-code',
      '4',
      '--severity',
      'CRITICAL',
    ]);
    expect(gate.code).toBe(4);
    const quiet = await bench([
      '--docker-host',
      dockerHost,
      '--no-store',
      '--check',
      '2.6',
      '--exit-code',
      '4',
    ]);
    expect(quiet.code).toBe(0);
    const unreachable = await bench(['--docker-host', 'unix:///nonexistent/docker.sock', '--no-store']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1);
    const notHostRoot = await bench(['--docker-host', dockerHost, '--no-store', '--root', home]);
    expect(notHostRoot.code).toBe(2);
    expect(notHostRoot.stderr).toMatch(/--root/);
    const bad = await bench(['--check', '9.9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--check/);
  });

  it('saved the results of the host in the store', async () => {
    const status = await runBuiltCli(['store', 'status', '--format', 'json'], { env });
    const counts = (
      JSON.parse(status.stdout) as { counts: { controlResults: number; resources: number; scans: number } }
    ).counts;
    // three stored runs (two on the socket, one over TCP), each a scan; a result is kept once per resource it names
    expect(counts.scans).toBe(3);
    const perRun = first.results.reduce((n, r) => n + Math.max(1, r.resources.length), 0);
    expect(perRun).toBeGreaterThan(118);
    expect(counts.controlResults).toBe(3 * perRun);
  });
});

/** The system daemon is shared: only what does not depend on other people's containers is asserted. */
describe('bench docker on the system daemon', () => {
  function systemDaemonArgv(): string[] | undefined {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'dockerd') continue;
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
        if (!argv.some((a) => a.includes('--config-file')) && !argv.some((a) => a.startsWith('--data-root')))
          return argv;
      } catch {}
    }
    return undefined;
  }

  it('reports no error and daemon settings that match how the daemon was started', async () => {
    const argv = systemDaemonArgv();
    expect(argv, 'a system dockerd is running').toBeDefined();
    const doc = await benchJson(['--docker-host', 'unix:///var/run/docker.sock', '--no-store'], {
      DOCKER_HOST: '',
    });
    expect(doc.results.filter((r) => r.status === 'error').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    const status = (id: string) => doc.results.find((r) => r.id === id)!.status;
    const file = existsSync('/etc/docker/daemon.json')
      ? (JSON.parse(readFileSync('/etc/docker/daemon.json', 'utf8')) as Record<string, unknown>)
      : {};
    const args = argv!.join(' ');
    expect(status('2.4')).toBe(/--iptables[= ]false/.test(args) || file.iptables === false ? 'fail' : 'pass');
    expect(status('2.8')).toBe(
      args.includes('tcp://') || JSON.stringify(file.hosts ?? []).includes('tcp://') ? 'fail' : 'pass',
    );
    const level = /--log-level[= ](\w+)/.exec(args)?.[1] ?? file['log-level'] ?? 'info';
    const debug = /(^| )(-D|--debug)( |$)/.test(args) || file.debug === true;
    expect(status('2.3')).toBe(debug || level !== 'info' ? 'fail' : 'pass');
    expect(status('2.19')).toBe(
      args.includes('--experimental') || file.experimental === true ? 'fail' : 'pass',
    );
    const configPresent = existsSync('/etc/docker/daemon.json');
    expect(status('3.17') === 'not_applicable').toBe(!configPresent);
    expect(status('3.15')).toBe('pass');
    expect(status('3.16')).toBe('pass');
    // as an idle host (everybody's containers left out), no container control fails
    const idle = await benchJson(
      [
        '--docker-host',
        'unix:///var/run/docker.sock',
        '--no-store',
        '--check',
        '5',
        '6.2',
        '--exclude-container',
        '*',
      ],
      {
        DOCKER_HOST: '',
      },
    );
    expect(idle.host.containers).toBe(0);
    expect(
      idle.results
        .filter((r) => r.id !== '5.1' && (r.status === 'fail' || r.status === 'error'))
        .map((r) => r.id),
    ).toEqual([]);
    if (doc.results.find((r) => r.id === '5.1')!.status === 'pass')
      expect(doc.results.filter((r) => r.section === '7').every((r) => r.status === 'not_applicable')).toBe(
        true,
      );
  });
});
