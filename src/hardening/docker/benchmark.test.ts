import { describe, expect, it } from 'vitest';
import { runControls, toControlResults } from './benchmark.js';
import { CONTROLS } from './controls/index.js';
import { container, evidence } from './test-support/evidence.js';

const host = evidence({
  containers: [
    container('web', { HostConfig: { Memory: 0, ReadonlyRootfs: false } }),
    container('db', { HostConfig: { Memory: 64 * 1024 * 1024, ReadonlyRootfs: true } }),
  ],
});
const results = runControls(host, CONTROLS);

describe('bench docker results for the store', () => {
  it('files a result under each resource it names (a container on the host), the others under the host', () => {
    const stored = toControlResults(host, results);
    const memory = stored.filter((r) => r.control === 'cis-docker-5.11');
    expect(memory.map((r) => [r.resource.type, r.resource.name, r.resource.parent?.id])).toEqual([
      ['container', 'web', host.host.hostname],
    ]);
    const swarm = stored.filter((r) => r.control === 'cis-docker-5.1');
    expect(swarm.map((r) => r.resource)).toEqual([
      { type: 'host', id: host.host.hostname, name: host.host.hostname },
    ]);
    const named = results.reduce((n, r) => n + Math.max(1, r.resources.length), 0);
    expect(stored).toHaveLength(named);
  });
});
