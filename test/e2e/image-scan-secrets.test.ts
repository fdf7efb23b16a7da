/**
 * `bulkhead image scan --scanners secret` through the built CLI on an image the local engine builds from local
 * files (no pulls): one layer adds a private key, a later layer deletes it; the key is still in the image and is
 * reported in the layer that added it, masked.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples } from '../../src/secret/test-support/samples.js';
import { runBuiltCli } from './cli-support.js';

const tag = `bulkhead-test/secrets:${process.pid}-${Date.now().toString(36)}`;
let dir: string;
const home = () => join(dir, 'home');
const key = samples.rsaPkcs1();
const token = samples.githubToken();
let layers: string[];

const docker = (...args: string[]) =>
  execFileSync('docker', args, { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '0' } }).trim();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulkhead-secrets-e2e-'));
  const context = join(dir, 'context');
  mkdirSync(context);
  copyFileSync('/usr/bin/busybox', join(context, 'busybox'));
  writeFileSync(join(context, 'id_rsa'), key);
  writeFileSync(join(context, 'app.env'), `PORT=8080\nGITHUB_TOKEN=${token}\n`);
  writeFileSync(
    join(context, 'Dockerfile'),
    [
      'FROM scratch',
      'COPY busybox /bin/busybox',
      'COPY id_rsa /root/.ssh/id_rsa',
      'RUN ["/bin/busybox", "rm", "/root/.ssh/id_rsa"]',
      'COPY app.env /srv/app/.env',
      '',
    ].join('\n'),
  );
  // no network: the RUN step needs none, and the engine may have no bridge
  docker('build', '-q', '--network', 'none', '--force-rm', '-t', tag, context);
  layers = JSON.parse(docker('image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag));
}, 180_000);

afterAll(() => {
  try {
    docker('rmi', '-f', tag);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

const scan = (...args: string[]) =>
  runBuiltCli(['--home', home(), 'image', 'scan', `docker-daemon:${tag}`, ...args]);

describe('bulkhead image scan --scanners secret (local engine)', () => {
  it('reports a key a later layer deleted, with the layer that added it, and gates with --exit-code', async () => {
    expect(docker('run', '--rm', '--network', 'none', tag, '/bin/busybox', 'ls', '/root/.ssh')).toBe('');
    const run = await scan('--scanners', 'secret', '--format', 'json', '--exit-code', '4');
    expect(run.code, run.stderr).toBe(4);
    const doc = JSON.parse(run.stdout);
    expect(doc.scanners).toEqual(['secret']);
    expect(
      doc.secrets.map((s: { rule: string; path: string; layer: string }) => [s.rule, s.path, s.layer]),
    ).toEqual([
      ['github-token', '/srv/app/.env', layers[3]],
      ['private-key', '/root/.ssh/id_rsa', layers[1]],
    ]);
    expect(doc.secrets[1].layerInstruction).toMatch(/COPY .*id_rsa/);
    for (const out of [run.stdout, run.stderr]) {
      expect(out).not.toContain(token);
      expect(out).not.toContain(key.split('\n')[1]!.slice(0, 16));
    }
  }, 120_000);

  it('the table shows the secrets masked, with no advisory data imported', async () => {
    const run = await scan('--scanners', 'secret');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('/root/.ssh/id_rsa:2');
    expect(run.stdout).toContain(`${token.slice(0, 4)}****`);
    expect(run.stdout).not.toContain(token);
    expect(run.stdout).toContain('vulnerabilities not scanned');
  }, 120_000);

  it('bad scanner lists and the vulnerability scanner without data are one line each, exit 2', async () => {
    const bad = await scan('--scanners', 'vuln,secrets');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/--scanners.*"secrets" is not one of vuln, secret, license/),
    ]);
    const noData = await scan('--scanners', 'vuln,secret');
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/no advisory data/);
  }, 120_000);
});
