import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../event.js';
import { dockerOk } from '../simulate/docker-api.js';
import { simulationRootfs } from '../simulate/image.js';
import { watchDocker } from './docker.js';

const LABELS = { 'bulkhead.test': 'runtime' };

describe('Docker events from the real engine', () => {
  it('resumes with since after (re)connecting, and inspects containers it sees start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-docker-watch-'));
    const image = `bulkhead-test-runtime/watch:${process.pid}`;
    const ids: string[] = [];
    const seen: RuntimeEvent[] = [];
    let stop: (() => void) | undefined;
    try {
      const [repo, tag] = image.split(':');
      await dockerOk(
        'POST',
        `/images/create?fromSrc=-&repo=${encodeURIComponent(repo!)}&tag=${tag}&changes=${encodeURIComponent('LABEL bulkhead.test=runtime')}`,
        await simulationRootfs(),
        undefined,
        'application/x-tar',
      );
      const since = Math.floor(Date.now() / 1000) - 1;
      const run = async (name: string) => {
        const c = await dockerOk('POST', `/containers/create?name=${name}-${process.pid}`, {
          Image: image,
          Cmd: ['/bin/true'],
          Labels: LABELS,
          HostConfig: { NetworkMode: 'none' },
        });
        ids.push(c.Id);
        await dockerOk('POST', `/containers/${c.Id}/start`);
        await dockerOk('POST', `/containers/${c.Id}/wait`);
        return c.Id as string;
      };
      // an event from before the watcher exists: only a `since` resume can deliver it
      const before = await run('bulkhead-watch-before');
      // the socket is missing at first: the watcher must retry until it appears
      const socket = join(dir, 'docker.sock');
      stop = watchDocker((e) => seen.push(e), { socketPath: socket, since, retryMs: 100 });
      await new Promise((r) => setTimeout(r, 300));
      symlinkSync('/var/run/docker.sock', socket);
      const after = await run('bulkhead-watch-after');
      for (let i = 0; i < 50 && !seen.some((e) => e.docker?.id === after && e.docker.action === 'die'); i++)
        await new Promise((r) => setTimeout(r, 100));
      const actions = (id: string) => seen.filter((e) => e.docker?.id === id).map((e) => e.docker!.action);
      expect(actions(before)).toEqual(expect.arrayContaining(['create', 'start', 'die']));
      expect(actions(after)).toEqual(expect.arrayContaining(['create', 'start', 'die']));
      const start = seen.find((e) => e.docker?.id === after && e.docker.action === 'start')!;
      expect(start.docker?.inspect?.Config?.Labels).toMatchObject(LABELS);
      expect(new Set(seen.map((e) => e.docker?.id + e.docker!.action + e.time)).size).toBe(seen.length); // no duplicates
    } finally {
      stop?.();
      for (const id of ids) await dockerOk('DELETE', `/containers/${id}?force=1`).catch(() => {});
      await dockerOk('DELETE', `/images/${encodeURIComponent(image)}?force=1`).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
