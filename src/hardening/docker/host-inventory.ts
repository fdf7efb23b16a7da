import type { AssessmentHead } from '../../core/assessment.js';
import { envelope } from '../../core/envelope.js';
import type { BenchResource, Evidence } from './types.js';

/**
 * The HostInventory document: what a Docker host runs, from the benchmark's own evidence (no extra daemon calls).
 * Lists what was assessed: containers left out with --exclude-container are not in it.
 */
export function hostInventoryDocument(evidence: Evidence, host: string, now = new Date()) {
  const containers = evidence.containers.map((c) => ({
    id: c.inspect.Id,
    name: c.inspect.Name,
    image: c.inspect.Config.Image,
    imageId: c.inspect.Image,
    state: c.inspect.State.Status,
    running: c.inspect.State.Running,
    ...(c.inspect.Created ? { created: c.inspect.Created } : {}),
  }));
  return envelope(
    'HostInventory',
    {
      engine: 'docker-benchmark' as const,
      origin: { host },
      complete: true,
      host: {
        hostname: evidence.host.hostname,
        operatingSystem: evidence.info.OperatingSystem,
        ...(evidence.info.KernelVersion ? { kernelVersion: evidence.info.KernelVersion } : {}),
      },
      daemon: {
        version: evidence.version.Version,
        apiVersion: evidence.version.ApiVersion,
        images: evidence.images.length,
        containers: containers.length,
        running: containers.filter((c) => c.running).length,
      },
      images: evidence.images.map((i) => ({
        id: i.inspect.Id,
        repoTags: i.inspect.RepoTags,
        repoDigests: i.inspect.RepoDigests,
        ...(i.inspect.Created ? { created: i.inspect.Created } : {}),
        ...(i.inspect.Size !== undefined ? { size: i.inspect.Size } : {}),
      })),
      containers,
    },
    now,
  );
}

export type HostInventoryDocument = ReturnType<typeof hostInventoryDocument>;

/** The DockerBenchmark head: the host, the daemon and every container, as the results' resources name them. */
export function benchmarkHead(
  evidence: Evidence,
  host: string,
  complete: boolean,
): AssessmentHead<BenchResource> {
  return {
    engine: 'docker-benchmark',
    origin: { host },
    complete,
    assessed: [
      { type: 'host', id: evidence.host.hostname, name: evidence.host.hostname },
      { type: 'daemon', id: evidence.info.ID || evidence.endpoint.display, name: 'dockerd' },
      ...evidence.containers.map(
        (c): BenchResource => ({ type: 'container', id: c.inspect.Id, name: c.inspect.Name }),
      ),
    ],
  };
}
