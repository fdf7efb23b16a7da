import picomatch from 'picomatch';
import { ExternalServiceError, errorMessage, UserInputError } from '../../../core/errors.js';
import { type Evidence, type ImageEvidence, missing, type Source, type SwarmEvidence } from '../types.js';
import { ContainerProcesses } from './container-processes.js';
import { findDaemon, listProcesses } from './daemon.js';
import { collectContainers, collectImages, collectSwarm, parseList, safe } from './engine.js';
import { EngineClient, EngineError, parseDockerHost } from './engine-client.js';
import { collectHost } from './host.js';
import { HostFs } from './host-fs.js';
import { ImageFileScanner } from './image-files.js';
import * as schema from './schema.js';

export interface CollectOptions {
  /** `unix:///var/run/docker.sock` or `tcp://host:port`. */
  dockerHost: string;
  /** Host file root (`/`, or where the host root is mounted). */
  root: string;
  /** Container names, ids (or id prefixes) or name globs to leave out. */
  excludeContainers?: readonly string[];
  /** Walk image layers for setuid/setgid files (CIS 4.8). */
  imageFiles?: boolean;
  /** Accounts allowed in the docker group besides root (1.1.2). */
  trustedUsers?: readonly string[];
}

function excluder(patterns: readonly string[]): (id: string, name: string) => boolean {
  const globs = patterns.map((p) => picomatch(p.replace(/^\//, ''), { dot: true }));
  return (id, name) =>
    patterns.some((p, i) => (p.length >= 4 && /^[0-9a-f]+$/.test(p) && id.startsWith(p)) || globs[i]!(name));
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Gather every piece of evidence the controls read, once, with Engine API calls in parallel and the host
 * side read at the same time. A missing piece is recorded with its reason; only an unreachable daemon
 * stops the run.
 */
export async function collectEvidence(options: CollectOptions): Promise<Evidence> {
  const endpoint = parseDockerHost(options.dockerHost);
  const client = new EngineClient(endpoint);
  const fs = new HostFs(options.root);
  try {
    // everything that does not depend on another answer starts at once
    const infoCall = client.get('/info').catch((error: unknown) => {
      throw new UserInputError(
        '--docker-host',
        `cannot read the Docker Engine API at ${endpoint.display}: ${errorMessage(error)}`,
      );
    });
    const processes = listProcesses(fs);
    const local = new ContainerProcesses(fs, processes);
    const scanner = new ImageFileScanner(fs);
    const containersCall = client
      .get('/containers/json?all=1')
      .then((l) => parseList(l, safe(schema.containerSummary)))
      .then((list) =>
        collectContainers(
          client,
          list.map((c) => c.Id),
          (id, pid) => local.of(id, pid),
        ),
      );
    const imagesCall = client
      .get('/images/json')
      .then((l) => parseList(l, safe(schema.imageSummary)))
      .then((list) =>
        collectImages(
          client,
          list.map((i) => i.Id),
        ),
      )
      .then((list) =>
        Promise.all(
          list.map(
            async (img): Promise<ImageEvidence> => ({
              ...img,
              setuidFiles: options.imageFiles ? await scanner.setidFiles(img.inspect) : null,
            }),
          ),
        ),
      );
    const others = Promise.all([
      client.get('/version').then((v) => schema.version.parse(v)),
      client.get('/networks').then((l) => parseList(l, safe(schema.network))),
      client.get('/volumes').then((v) => schema.volumeList.parse(v).Volumes),
      client.get('/plugins').then((l) => parseList(l, safe(schema.plugin))),
    ]);
    // keep every promise observed, so that a failure of one never goes unhandled while another is awaited
    for (const p of [containersCall, imagesCall, others]) p.catch(() => undefined);
    const info = schema.info.parse(await infoCall);
    const swarmActive = info.Swarm.LocalNodeState === 'active';
    const swarmCall: Promise<Source<SwarmEvidence> | null> =
      swarmActive && info.Swarm.ControlAvailable
        ? collectSwarm(client, fs, info.DockerRootDir)
        : Promise.resolve(
            swarmActive
              ? missing<SwarmEvidence>('this node is a swarm worker: cluster settings are read on a manager')
              : null,
          );
    const hostCall = processes.then(async (p) => {
      const daemon = await findDaemon(fs, p, info.DockerRootDir);
      return { daemon, host: await collectHost(fs, info, daemon, p) };
    });
    const [allContainers, images, [version, networks, volumes, plugins], swarm, { daemon, host }] =
      await Promise.all([containersCall, imagesCall, others, swarmCall, hostCall]).catch((error: unknown) => {
        // the daemon answered /info but failed a later call: say which one, without a stack
        if (error instanceof EngineError)
          throw new ExternalServiceError(`Docker Engine API at ${endpoint.display}`, error.message, {
            status: error.status,
          });
        throw error;
      });
    const exclude = excluder(options.excludeContainers ?? []);
    const containers = allContainers
      .filter((c) => !exclude(c.inspect.Id, c.inspect.Name))
      .sort((a, b) => byName(a.inspect.Name, b.inspect.Name));
    const excludedContainers = allContainers
      .filter((c) => exclude(c.inspect.Id, c.inspect.Name))
      .map((c) => c.inspect.Name)
      .sort(byName);
    const imageName = (i: ImageEvidence) => i.inspect.RepoTags[0] ?? `~${i.inspect.Id}`;
    images.sort((a, b) => byName(imageName(a), imageName(b)) || byName(a.inspect.Id, b.inspect.Id));
    networks.sort((a, b) => byName(a.Name, b.Name) || byName(a.Id, b.Id));
    volumes.sort((a, b) => byName(a.Name, b.Name));
    plugins.sort((a, b) => byName(a.Name, b.Name));
    return {
      endpoint,
      info,
      version,
      containers,
      excludedContainers,
      images,
      imagesInUse: new Set(allContainers.map((c) => c.inspect.Image)),
      networks,
      volumes,
      plugins,
      swarm,
      daemon,
      host,
      policy: { trustedUsers: [...(options.trustedUsers ?? [])] },
    };
  } finally {
    client.close();
  }
}
