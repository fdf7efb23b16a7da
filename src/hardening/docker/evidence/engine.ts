import type { z } from 'zod';
import { errorMessage } from '../../../core/errors.js';
import {
  type ContainerEvidence,
  missing,
  ok,
  type ProcessInfo,
  type Source,
  type SwarmEvidence,
} from '../types.js';
import { type EngineClient, mapLimit } from './engine-client.js';
import type { HostFs } from './host-fs.js';
import * as schema from './schema.js';

/** How many Engine API calls are in flight at once. */
const CONCURRENCY = 16;

async function attempt<T>(fn: () => Promise<T>): Promise<Source<T>> {
  try {
    return ok(await fn());
  } catch (error) {
    return missing(errorMessage(error));
  }
}

function parseList<T>(items: unknown, parse: (item: unknown) => T | null): T[] {
  return Array.isArray(items) ? items.map(parse).filter((x): x is T => x !== null) : [];
}

/** A permissive parser for list items: a record that does not fit is dropped. */
function safe<T>(s: z.ZodType<T>): (item: unknown) => T | null {
  return (item) => {
    const r = s.safeParse(item);
    return r.success ? r.data : null;
  };
}

/** Processes of a running container, from the Engine API (`top`), never by exec'ing into it. */
async function processes(client: EngineClient, id: string): Promise<Source<ProcessInfo[]>> {
  return attempt(async () => {
    const answer = schema.topAnswer.parse(
      await client.get(`/containers/${id}/top?ps_args=${encodeURIComponent('-o pid,comm,args')}`),
    );
    const comm = answer.Titles.indexOf('COMMAND');
    return answer.Processes.map((row) => ({
      comm: row[comm] ?? '',
      args: row.slice(comm + 1).join(' ') || (row[comm] ?? ''),
    })).sort((a, b) => (a.args < b.args ? -1 : a.args > b.args ? 1 : 0));
  });
}

/** Local process lookup: undefined when the host cannot show the container's processes. */
export type LocalProcesses = (id: string, initPid: number) => Promise<Source<ProcessInfo[]> | undefined>;

export async function collectContainers(
  client: EngineClient,
  ids: readonly string[],
  local: LocalProcesses,
): Promise<ContainerEvidence[]> {
  const out = await mapLimit(ids, CONCURRENCY, async (id): Promise<ContainerEvidence | null> => {
    let raw: unknown;
    try {
      raw = await client.get(`/containers/${id}/json`);
    } catch (error) {
      // removed between the list and the inspect: it no longer exists, so nothing to assess
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
    const inspect = schema.containerInspect.parse(raw);
    const [procs, execs] = await Promise.all([
      inspect.State.Running
        ? local(inspect.Id, inspect.State.Pid).then((p) => p ?? processes(client, id))
        : Promise.resolve(null),
      attempt(async () => {
        const list = await Promise.all(
          inspect.ExecIDs.map(async (e) => {
            try {
              return schema.execInspect.parse(await client.get(`/exec/${e}/json`));
            } catch (error) {
              if ((error as { status?: number }).status === 404) return null;
              throw error;
            }
          }),
        );
        return list.filter((x): x is schema.ExecInspect => x !== null).sort((a, b) => (a.ID < b.ID ? -1 : 1));
      }),
    ]);
    return { inspect, processes: procs, execs };
  });
  return out.filter((c): c is ContainerEvidence => c !== null);
}

export async function collectImages(client: EngineClient, ids: readonly string[]) {
  const out = await mapLimit(ids, CONCURRENCY, async (id) => {
    let raw: unknown;
    const history = attempt(async () =>
      parseList(await client.get(`/images/${id}/history`), safe(schema.historyEntry)),
    );
    try {
      raw = await client.get(`/images/${id}/json`);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
    return { inspect: schema.imageInspect.parse(raw), history: await history };
  });
  return out.filter((x) => x !== null);
}

export async function collectSwarm(
  client: EngineClient,
  fs: HostFs,
  dockerRootDir: string,
): Promise<Source<SwarmEvidence>> {
  return attempt(async () => {
    const [swarm, nodes, services, state] = await Promise.all([
      client.get('/swarm').then((s) => schema.swarm.parse(s)),
      client.get('/nodes').then((n) => parseList(n, safe(schema.node))),
      client.get('/services').then((s) => parseList(s, safe(schema.service))),
      fs.readText(`${dockerRootDir}/swarm/docker-state.json`),
    ]);
    let swarmState: SwarmEvidence['state'];
    if (!state.ok) swarmState = missing(state.reason);
    else if (state.value === null) swarmState = missing(`${dockerRootDir}/swarm/docker-state.json not found`);
    else {
      try {
        swarmState = ok(schema.swarmState.parse(JSON.parse(state.value)));
      } catch (error) {
        swarmState = missing(`${dockerRootDir}/swarm/docker-state.json: ${errorMessage(error)}`);
      }
    }
    nodes.sort((a, b) => (a.ID < b.ID ? -1 : 1));
    services.sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : 1));
    return { swarm, nodes, services, state: swarmState };
  });
}

export { parseList, safe };
