import type { ResourceRef } from '../core/resource.js';

/** Arbitrary JSON from outside (audit request objects, inspect documents), read defensively by rules. */
// biome-ignore lint/suspicious/noExplicitAny: outside JSON is read field by field with optional chaining
export type Json = any;

/** The three event sources; a rule names the one it reads. */
export const SOURCE_NAMES = ['k8s-audit', 'auditd', 'docker-events'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** A Kubernetes API-server audit event (audit.k8s.io/v1 or v1beta1), only the fields rules read. */
export interface K8sAuditEvent {
  kind?: string;
  apiVersion?: string;
  level?: string;
  auditID?: string;
  stage?: string;
  requestURI?: string;
  verb?: string;
  user?: { username?: string; groups?: string[]; extra?: Record<string, unknown> };
  impersonatedUser?: { username?: string; groups?: string[] };
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: {
    resource?: string;
    subresource?: string;
    namespace?: string;
    name?: string;
    apiGroup?: string;
    apiVersion?: string;
  };
  responseStatus?: { code?: number; reason?: string; message?: string };
  requestObject?: Json;
  responseObject?: Json;
  requestReceivedTimestamp?: string;
  stageTimestamp?: string;
  annotations?: Record<string, string>;
}

/** A process as auditd (or /proc) describes it. */
export interface ProcessInfo {
  pid: number;
  /** The node that logged it (auditd `node=`), when the input names one. */
  host?: string;
  ppid?: number;
  exe?: string;
  comm?: string;
  /** Decoded argv (EXECVE, else PROCTITLE). Empty when neither record was logged. */
  argv: string[];
  uid?: number;
  euid?: number;
  auid?: number;
  ses?: number;
  tty?: string;
  cwd?: string;
  key?: string;
  /** Container id when the live agent attributed the pid (cgroup or Docker). */
  container?: string;
}

export interface PathItem {
  name: string;
  nametype?: string;
  mode?: string;
}

export interface SocketAddress {
  family: 'ipv4' | 'ipv6' | 'unix' | 'netlink' | 'other';
  addr?: string;
  port?: number;
  path?: string;
}

/** Docker Engine event plus what inspect said about the container / exec. */
export interface DockerEventInfo {
  type: string;
  action: string;
  id: string;
  attributes: Record<string, string>;
  /** `GET /containers/{id}/json` on create/start/exec (absent in replays). */
  inspect?: Json;
  /** `GET /exec/{id}/json` on exec_start. */
  execInspect?: Json;
}

/**
 * One normalised event, whatever the source. `kind` says which parts are set:
 * - `k8s`: `audit` is set;
 * - `exec` / `connect` / `file` / `syscall`: auditd SYSCALL events (`process`, `syscall`, plus `socket` or `paths`);
 * - `user`: auditd user-space and other standalone records (`record` holds the type and its fields);
 * - `docker`: `docker` is set.
 */
export interface RuntimeEvent {
  source: SourceName;
  kind: 'k8s' | 'exec' | 'connect' | 'file' | 'syscall' | 'user' | 'docker';
  /** Milliseconds since the epoch. */
  time: number;
  /** What the event concerns (pod, object, process, container…), used for de-duplication. */
  resource: ResourceRef;
  audit?: K8sAuditEvent;
  process?: ProcessInfo;
  syscall?: { name: string; number: number; success: boolean; exit?: number; a: string[] };
  socket?: SocketAddress;
  paths?: PathItem[];
  record?: { type: string; fields: Record<string, string> };
  docker?: DockerEventInfo;
  /** Host the event came from (auditd `node=`, or the local host name). */
  host?: string;
  /** auditd: the `SEC.MS:SERIAL` of `msg=audit(…)` shared by the event's records (what evidence cites). */
  auditId?: string;
}
