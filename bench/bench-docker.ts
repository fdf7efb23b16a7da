import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLI, REPO_ROOT } from '../test/e2e/cli-support.js';
import { Scenario } from '../test/scenarios.js';
import { time } from './timing.js';
import type { Benchmark, Timing } from './types.js';

const run = promisify(execFile);
const SCALE = [11, 50, 200];
const EXTRA_LABEL = 'bulkhead.test=docker-bench';

async function docker(dockerHost: string, args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, {
    env: { ...process.env, DOCKER_HOST: dockerHost },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

const lines = (text: string) => text.split('\n').filter(Boolean);

/** What any checker must read at least once, with the docker CLI, one call after the other. */
async function dockerCliReads(dockerHost: string): Promise<void> {
  await docker(dockerHost, ['info']);
  for (const id of lines(await docker(dockerHost, ['ps', '-aq', '--no-trunc'])))
    await docker(dockerHost, ['container', 'inspect', id]);
  for (const id of new Set(lines(await docker(dockerHost, ['images', '-q', '--no-trunc']))))
    await docker(dockerHost, ['image', 'inspect', id]);
  for (const id of lines(await docker(dockerHost, ['network', 'ls', '-q'])))
    await docker(dockerHost, ['network', 'inspect', id]);
  for (const name of lines(await docker(dockerHost, ['volume', 'ls', '-q'])))
    await docker(dockerHost, ['volume', 'inspect', name]);
}

function bulkhead(dockerHost: string) {
  return run(
    process.execPath,
    [CLI, 'bench', 'docker', '--docker-host', dockerHost, '--format', 'json', '--no-store', '--quiet'],
    {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DOCKER_CONTENT_TRUST: '' },
    },
  );
}

/**
 * Median wall times of two commands run alternately (after one warm-up each), so that a busy machine
 * slows both sides alike.
 */
async function interleaved(
  labels: [string, string],
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  repeat: number,
): Promise<[Timing, Timing]> {
  await a();
  await b();
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < repeat; i++) {
    for (const [side, fn] of [a, b].entries()) {
      const start = process.hrtime.bigint();
      await fn();
      samples[side]!.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [
    { label: labels[0], ms: median(samples[0]) },
    { label: labels[1], ms: median(samples[1]) },
  ];
}

async function containerCount(dockerHost: string): Promise<number> {
  return lines(await docker(dockerHost, ['ps', '-aq'])).length;
}

/**
 * `bulkhead bench docker` (the whole benchmark, one process, Engine API in parallel) on the insecure
 * scenario against the docker CLI reading the minimum evidence serially; then the growth with 50 and 200
 * containers (extra busybox containers on the private daemon, removed afterwards).
 */
export const benchDocker: Benchmark = {
  name: 'bench-docker',
  description:
    'bulkhead bench docker on the insecure scenario vs docker CLI info/ps/inspect of everything, serially',
  async run() {
    if (!existsSync(CLI)) await run('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT });
    const scenario = new Scenario('docker-host-insecure.sh');
    const wasUp = (await scenario.dockerHost()) !== undefined;
    await scenario.up(['--private']);
    const dockerHost = (await scenario.dockerHost())!;
    const created: string[] = [];
    try {
      const base = await containerCount(dockerHost);
      // let a freshly started scenario settle (containers starting, first health checks)
      if (!wasUp) await new Promise((r) => setTimeout(r, 10_000));
      const [subject, baseline] = await interleaved(
        [`bulkhead bench docker (${base} containers)`, `docker CLI serial reads (${base} containers)`],
        () => bulkhead(dockerHost),
        () => dockerCliReads(dockerHost),
        9,
      );
      const startup = await time('bulkhead --version', () => run(process.execPath, [CLI, '--version']), 5);
      const home = mkdtempSync(join(tmpdir(), 'bulkhead-bench-docker-'));
      const stored = await time(
        'with the store',
        () =>
          run(
            process.execPath,
            [CLI, 'bench', 'docker', '--docker-host', dockerHost, '--format', 'json', '--quiet'],
            {
              maxBuffer: 64 * 1024 * 1024,
              env: { ...process.env, BULKHEAD_HOME: home, DOCKER_CONTENT_TRUST: '' },
            },
          ),
        3,
      );
      rmSync(home, { recursive: true, force: true });
      const growth: { n: number; subject: Timing; baseline: Timing }[] = [{ n: base, subject, baseline }];
      for (const target of SCALE.filter((n) => n > base)) {
        while ((await containerCount(dockerHost)) < target) {
          const name = `bkscn-extra-${created.length + 1}`;
          await docker(dockerHost, [
            'create',
            '--name',
            name,
            '--label',
            'bulkhead.scenario=docker-host-insecure',
            '--label',
            EXTRA_LABEL,
            'bulkhead-scn/base:latest',
          ]);
          created.push(name);
        }
        const [s, b] = await interleaved(
          [`bulkhead (${target})`, `docker CLI (${target})`],
          () => bulkhead(dockerHost),
          () => dockerCliReads(dockerHost),
          target > 100 ? 3 : 5,
        );
        growth.push({ n: target, subject: s, baseline: b });
      }
      const first = growth[0]!;
      const last = growth.at(-1)!;
      const perContainer = (side: 'subject' | 'baseline') =>
        (last[side].ms - first[side].ms) / Math.max(1, last.n - first.n);
      return {
        subject,
        baseline,
        target: '≤ 1× the docker CLI baseline',
        maxRatio: 1,
        notes: [
          `fixed start-up of the CLI (bulkhead --version): ${startup.ms.toFixed(0)} ms; with saving to the SQLite store (the default): ${stored.ms.toFixed(0)} ms`,
          ...growth.map(
            (g) =>
              `${g.n} containers: bulkhead ${g.subject.ms.toFixed(0)} ms, docker CLI ${g.baseline.ms.toFixed(0)} ms (ratio ${(g.subject.ms / g.baseline.ms).toFixed(2)}×)`,
          ),
          `growth per added container: bulkhead ${perContainer('subject').toFixed(2)} ms, docker CLI ${perContainer('baseline').toFixed(1)} ms`,
          `docker-bench-security reference (issue figure, not measured here): 7.4 s → ${(7400 / subject.ms).toFixed(1)}× slower than bulkhead`,
        ],
      };
    } finally {
      for (let i = 0; i < created.length; i += 50)
        await docker(dockerHost, ['rm', '-f', ...created.slice(i, i + 50)]).catch(() => '');
      if (!wasUp) await scenario.down();
    }
  },
};
