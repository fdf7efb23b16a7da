import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Alert } from '../core/results.js';
import { listenAt } from '../net/listen.js';
import { Engine, type EngineOptions } from './engine.js';
import type { RuntimeEvent } from './event.js';
import { ContainerAttribution } from './live/attribution.js';
import { watchDocker } from './live/docker.js';
import { followFile } from './live/follow.js';
import { buildAuditWebhook, type WebhookOptions } from './live/webhook.js';
import type { ActiveRuleSet } from './rule-set.js';
import { AuditdDecoder } from './sources/auditd.js';
import { k8sAudit } from './sources/k8s-audit.js';

export interface ServeOptions extends Omit<EngineOptions, 'onAlert' | 'onUpdate'> {
  /** Kubernetes audit webhook receiver: port (0 = any free port) and address. */
  webhook?: WebhookOptions & { port: number; address?: string };
  /** Kubernetes audit log files to follow (JSON lines). */
  k8sAuditLogs?: string[];
  /** audit.log files written by auditd to follow. */
  auditdLogs?: string[];
  /** Follow Docker events on this socket. */
  dockerSocket?: string;
  /** Read followed files from their start instead of their end. */
  fromStart?: boolean;
  host?: string;
  /** Called for every new alert and every count update (`update` true). */
  onAlert?: (alert: Alert, update: boolean) => void;
  onError?: (error: Error) => void;
}

export interface RunningServe {
  engine: Engine;
  attribution: ContainerAttribution;
  /** URL of the audit webhook receiver, when one listens. */
  webhookUrl?: string;
  /** Feed an event as a source would (tests, simulation). */
  offer(e: RuntimeEvent): boolean;
  stop(): Promise<void>;
}

/**
 * The live agent: audit webhook receiver, followed audit log files, auditd's log and Docker events, all into one
 * engine with a bounded queue. Alerts go to `onAlert` (the CLI prints JSON lines, stores them, posts webhooks).
 */
export async function startServe(rules: ActiveRuleSet, options: ServeOptions): Promise<RunningServe> {
  const host = options.host ?? hostname();
  const { onAlert: _a, onError: _e, ...engineOptions } = options;
  const engine = new Engine(rules, {
    ...engineOptions,
    onAlert: (a) => options.onAlert?.(a, false),
    onUpdate: (a) => options.onAlert?.(a, true),
  });
  const attribution = new ContainerAttribution();
  const offer = (e: RuntimeEvent) => engine.offer(e);
  const stops: (() => void | Promise<void>)[] = [];

  for (const path of options.k8sAuditLogs ?? []) {
    const decoder = k8sAudit.decoder(offer, { label: path });
    stops.push(
      followFile(
        path,
        (line) => {
          try {
            decoder.line(line);
          } catch (error) {
            options.onError?.(error as Error);
          }
        },
        { fromStart: options.fromStart === true },
      ),
    );
  }
  for (const path of options.auditdLogs ?? []) {
    const decoder = new AuditdDecoder(offer, { label: path, host }, (e) => attribution.enrich(e));
    const stopFollow = followFile(path, (line) => decoder.line(line), {
      fromStart: options.fromStart === true,
      pollMs: 100,
    });
    // events without an EOE record are emitted once they stop growing
    const flush = setInterval(() => decoder.reassembler.flushOlderThan(300), 250);
    stops.push(() => {
      stopFollow();
      clearInterval(flush);
      decoder.end();
    });
  }
  if (options.dockerSocket) {
    stops.push(
      watchDocker(offer, {
        socketPath: options.dockerSocket,
        host,
        onContainerPid: (pid, id) => attribution.learn(pid, id),
        ...(options.onError ? { onError: options.onError } : {}),
      }),
    );
  }
  let app: FastifyInstance | undefined;
  let webhookUrl: string | undefined;
  if (options.webhook) {
    app = await buildAuditWebhook(offer, options.webhook);
    let address: string;
    try {
      address = await listenAt(app, {
        host: options.webhook.address ?? '127.0.0.1',
        port: options.webhook.port,
        hostInput: '--address',
        portInput: '--webhook-port',
      });
    } catch (error) {
      // the sources already started must not keep the process alive
      for (const stop of stops) await stop();
      await app.close();
      throw error;
    }
    webhookUrl = `${address}/k8s-audit`;
  }
  return {
    engine,
    attribution,
    ...(webhookUrl ? { webhookUrl } : {}),
    offer,
    async stop() {
      for (const stop of stops) await stop();
      await app?.close();
      // let the queue drain so that nothing accepted is lost
      for (let i = 0; i < 100 && engine.pending > 0; i++) await new Promise((r) => setTimeout(r, 10));
    },
  };
}
