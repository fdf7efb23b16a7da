/**
 * Following Docker events across a restart of the daemon: a private dockerd of the test's own (own socket, data
 * root, exec root; no bridge) is stopped and started again under a running watcher, so the shared daemon other
 * tests use is never touched.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../event.js';
import { docker, dockerOk } from '../simulate/docker-api.js';
import { simulationRootfs } from '../simulate/image.js';
import { watchDocker } from './docker.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, ok: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (await ok()) return;
  throw new Error(`timed out waiting for ${what}`);
}

/** A dockerd of our own under `dir`; resolves once it answers /_ping. */
async function startDaemon(dir: string, socket: string): Promise<ChildProcess> {
  const daemon = spawn(
    'dockerd',
    [
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'dockerd.pid')}`,
      `--host=unix://${socket}`,
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      '--storage-driver=vfs',
    ],
    { stdio: 'ignore', detached: true },
  );
  let exited = false;
  daemon.on('exit', () => {
    exited = true;
  });
  await waitFor('the private dockerd to answer', async () => {
    if (exited) throw new Error('the private dockerd exited at start');
    return (await docker('GET', '/_ping', undefined, socket).catch(() => ({ status: 0 }))).status === 200;
  });
  return daemon;
}

async function stopDaemon(daemon: ChildProcess): Promise<void> {
  if (daemon.exitCode !== null || daemon.signalCode !== null) return;
  const gone = new Promise((r) => daemon.once('exit', r));
  daemon.kill('SIGTERM');
  await Promise.race([gone, sleep(30_000)]);
  if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
}

describe('Docker events across a daemon restart', () => {
  it('reconnects after the daemon stops, follows the new daemon, and repeats nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bk-dockerd-'));
    const socket = join(dir, 'docker.sock');
    const image = 'bulkhead-test-runtime/restart:1';
    const seen: RuntimeEvent[] = [];
    const errors: Error[] = [];
    let daemon = await startDaemon(dir, socket);
    let stop: (() => void) | undefined;
    try {
      await dockerOk(
        'POST',
        `/images/create?fromSrc=-&repo=${encodeURIComponent('bulkhead-test-runtime/restart')}&tag=1`,
        await simulationRootfs(),
        socket,
        'application/x-tar',
      );
      const run = async (name: string) => {
        const c = await dockerOk(
          'POST',
          `/containers/create?name=${name}`,
          { Image: image, Cmd: ['/bin/true'], HostConfig: { NetworkMode: 'none' } },
          socket,
        );
        await dockerOk('POST', `/containers/${c.Id}/start`, undefined, socket);
        await dockerOk('POST', `/containers/${c.Id}/wait`, undefined, socket);
        return c.Id as string;
      };
      const died = (id: string) => () => seen.some((e) => e.docker?.id === id && e.docker.action === 'die');

      stop = watchDocker((e) => seen.push(e), {
        socketPath: socket,
        retryMs: 200,
        onError: (e) => errors.push(e),
      });
      await sleep(300);
      const first = await run('bulkhead-restart-before');
      await waitFor('events of the first container', died(first), 10_000);

      await stopDaemon(daemon);
      await sleep(500); // the watcher now fails to connect and keeps retrying
      daemon = await startDaemon(dir, socket);
      const second = await run('bulkhead-restart-after');
      await waitFor('events of the container run after the restart', died(second), 20_000);

      const actions = (id: string) => seen.filter((e) => e.docker?.id === id).map((e) => e.docker!.action);
      expect(actions(first)).toEqual(expect.arrayContaining(['create', 'start', 'die']));
      expect(actions(second)).toEqual(expect.arrayContaining(['create', 'start', 'die']));
      expect(
        seen.find((e) => e.docker?.id === second && e.docker.action === 'start')?.docker?.inspect?.Id,
      ).toBe(second);
      // the daemon's own restart shows too: its events stream ended and the watcher went back to it
      expect(errors.length).toBeGreaterThan(0);
      const keys = seen.map((e) => `${e.docker?.type}/${e.docker?.id}/${e.docker?.action}/${e.time}`);
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      stop?.();
      await dockerOk('DELETE', '/containers/bulkhead-restart-before?force=1', undefined, socket).catch(
        () => {},
      );
      await dockerOk('DELETE', '/containers/bulkhead-restart-after?force=1', undefined, socket).catch(
        () => {},
      );
      await stopDaemon(daemon);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
