import { type IncomingMessage, request } from 'node:http';
import type { Json, RuntimeEvent } from '../event.js';
import { dockerEvent } from '../sources/docker-events.js';

export interface DockerWatchOptions {
  socketPath?: string;
  host?: string;
  /** Resume point (seconds since the epoch); defaults to now. */
  since?: number;
  /** Delay before reconnecting after the stream ends or fails (ms). */
  retryMs?: number;
  /** Called with a container's main pid and id when it is inspected (for auditd attribution). */
  onContainerPid?: (pid: number, id: string) => void;
  onError?: (error: Error) => void;
}

/** GET a JSON document from the Engine API over the unix socket. */
export function dockerGet(
  path: string,
  socketPath = '/var/run/docker.sock',
  timeoutMs = 5000,
): Promise<Json> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 300)
          return reject(new Error(`docker ${path}: ${res.statusCode} ${text.slice(0, 200)}`));
        try {
          resolve(JSON.parse(text));
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`docker ${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

const INSPECT_ON = new Set(['create', 'start']);

/**
 * Follow the Engine's `/events` stream: reconnects after failures and resumes with `since` from the last
 * event seen, inspects containers on create/start and execs on exec_start. Returns a stop function.
 */
export function watchDocker(emit: (e: RuntimeEvent) => void, options: DockerWatchOptions = {}): () => void {
  const socketPath = options.socketPath ?? '/var/run/docker.sock';
  let since = options.since ?? Math.floor(Date.now() / 1000);
  let lastNano = 0;
  let stopped = false;
  let current: IncomingMessage | undefined;
  let timer: NodeJS.Timeout | undefined;
  // inspect calls run in order so that events are emitted in stream order
  let chain: Promise<void> = Promise.resolve();

  const handle = async (value: Json) => {
    const nano = Number(value?.timeNano ?? 0);
    if (nano && nano <= lastNano) return; // duplicate after a `since` resume
    if (nano) lastNano = nano;
    since = Math.max(since, Number(value?.time ?? since));
    const type = value?.Type;
    const action = String(value?.Action ?? '');
    const id = String(value?.Actor?.ID ?? '');
    let container: Json;
    let exec: Json;
    if (type === 'container' && (INSPECT_ON.has(action) || action.startsWith('exec_start'))) {
      container = await dockerGet(`/containers/${encodeURIComponent(id)}/json`, socketPath).catch(
        () => undefined,
      );
      const pid = Number(container?.State?.Pid ?? 0);
      if (pid > 0) options.onContainerPid?.(pid, String(container.Id ?? id));
      const execId = value?.Actor?.Attributes?.execID;
      if (action.startsWith('exec_start') && execId)
        exec = await dockerGet(`/exec/${encodeURIComponent(execId)}/json`, socketPath).catch(() => undefined);
    }
    const event = dockerEvent(value, options.host, { container, exec });
    if (event) emit(event);
  };

  const connect = () => {
    if (stopped) return;
    const req = request({ socketPath, path: `/events?since=${since}`, method: 'GET' }, (res) => {
      current = res;
      let partial = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        if (partial.length > 1024 * 1024) partial = '';
        for (const line of lines) {
          if (!line.trim()) continue;
          let value: unknown;
          try {
            value = JSON.parse(line);
          } catch {
            continue;
          }
          chain = chain.then(() => handle(value)).catch((e) => options.onError?.(e as Error));
        }
      });
      res.on('end', retry);
      res.on('error', retry);
    });
    req.on('error', (error) => {
      options.onError?.(error);
      retry();
    });
    req.end();
  };
  const retry = () => {
    current = undefined;
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect();
    }, options.retryMs ?? 1000);
  };
  connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    current?.destroy();
  };
}
