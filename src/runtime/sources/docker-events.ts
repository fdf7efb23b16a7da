import { UserInputError } from '../../core/errors.js';
import type { DockerEventInfo, Json, RuntimeEvent } from '../event.js';
import type { DecoderOptions, EventSource, LineDecoder } from './types.js';

/**
 * Normalise one Engine API event (`GET /events`), also accepting the older `status`/`id`/`from` fields and
 * Wazuh's wrapper `{"integration":"docker","docker":{…}}`. Returns undefined for values that are not events.
 */
export function dockerEvent(
  value: unknown,
  host = 'localhost',
  inspect?: { container?: unknown; exec?: unknown },
): RuntimeEvent | undefined {
  if (!value || typeof value !== 'object') return undefined;
  let v = value as Record<string, Json>;
  if (v.integration === 'docker' && v.docker && typeof v.docker === 'object') v = v.docker;
  const type = String(v.Type ?? (v.status ? 'container' : ''));
  const action = String(v.Action ?? v.status ?? '');
  if (!type || !action) return undefined;
  const actor = v.Actor ?? {};
  const attributes: Record<string, string> = {};
  for (const [k, val] of Object.entries(actor.Attributes ?? {})) attributes[k] = String(val);
  if (v.from && !attributes.image) attributes.image = String(v.from);
  const id = String(actor.ID ?? v.id ?? '');
  const nano = Number(v.timeNano);
  const time =
    Number.isFinite(nano) && nano > 0 ? Math.floor(nano / 1e6) : Number(v.time ?? 0) * 1000 || Date.now();
  const docker: DockerEventInfo = { type, action, id, attributes };
  if (inspect?.container) docker.inspect = inspect.container;
  if (inspect?.exec) docker.execInspect = inspect.exec;
  const parent = { type: 'host' as const, id: host };
  const resource =
    type === 'container'
      ? { type: 'container' as const, id, ...(attributes.name ? { name: attributes.name } : {}), parent }
      : type === 'image'
        ? { type: 'image' as const, id, parent }
        : { type: 'daemon' as const, id: host, parent };
  return { source: 'docker-events', kind: 'docker', time, resource, docker, host };
}

class DockerDecoder implements LineDecoder {
  readonly stats = { lines: 0, events: 0, skipped: 0 };
  constructor(
    private readonly emit: (e: RuntimeEvent) => void,
    private readonly options: DecoderOptions,
  ) {}

  line(text: string): void {
    this.stats.lines += 1;
    if (text.trim() === '') return;
    let value: Json;
    try {
      value = JSON.parse(text);
    } catch {
      throw new UserInputError(
        this.options.label,
        `line ${this.stats.lines}: not JSON (expected Docker events as JSON lines)`,
      );
    }
    // a recorded line may carry inspect data next to the event: {"event":{…},"inspect":{…},"execInspect":{…}}
    const inspect =
      value && typeof value === 'object' && value.event
        ? { container: value.inspect, exec: value.execInspect }
        : undefined;
    const event = dockerEvent(inspect ? value.event : value, this.options.host, inspect);
    if (!event) {
      this.stats.skipped += 1;
      return;
    }
    this.stats.events += 1;
    this.emit(event);
  }

  end(): void {}
}

export const dockerEvents = {
  name: 'docker-events',
  description: 'Docker Engine events (GET /events JSON lines), with container and exec inspection when live',
  decoder: (emit, options) => new DockerDecoder(emit, options),
} satisfies EventSource;
