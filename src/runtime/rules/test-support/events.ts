import type { K8sAuditEvent, PathItem, ProcessInfo, RuntimeEvent } from '../../event.js';
import { dockerEvent } from '../../sources/docker-events.js';
import { auditEvent } from '../../sources/k8s-audit.js';

let serial = 0;
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A ResponseComplete audit event; fields override the defaults. */
export function k8s(
  over: Partial<K8sAuditEvent> & {
    resource?: string;
    ns?: string;
    name?: string;
    sub?: string;
    code?: number;
    at?: number;
  },
): RuntimeEvent {
  serial += 1;
  const { resource, ns, name, sub, code, at, ...rest } = over;
  const a: K8sAuditEvent = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: `id-${serial}`,
    stage: 'ResponseComplete',
    verb: 'create',
    user: { username: 'kubernetes-admin' },
    sourceIPs: ['10.0.0.5'],
    userAgent: 'kubectl/v1.30.0',
    objectRef: {
      resource: resource ?? 'pods',
      ...(ns ? { namespace: ns } : {}),
      ...(name ? { name } : {}),
      ...(sub ? { subresource: sub } : {}),
    },
    responseStatus: { code: code ?? 201 },
    requestURI: `/api/v1/${ns ? `namespaces/${ns}/` : ''}${resource ?? 'pods'}${name ? `/${name}` : ''}${sub ? `/${sub}` : ''}`,
    stageTimestamp: new Date(T0 + (at ?? serial)).toISOString(),
    annotations: { 'authorization.k8s.io/decision': 'allow' },
    ...rest,
  };
  return auditEvent(a);
}

export function pod(spec: Record<string, unknown>, ns = 'default', name = 'web'): RuntimeEvent {
  return k8s({
    resource: 'pods',
    ns,
    name,
    requestObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec },
  });
}

export function service(
  spec: Record<string, unknown>,
  meta: Record<string, unknown> = {},
  ns = 'default',
): RuntimeEvent {
  const name = String(meta.name ?? 'svc');
  return k8s({
    resource: 'services',
    ns,
    name,
    requestObject: { kind: 'Service', metadata: { name, namespace: ns, ...meta }, spec },
  });
}

export function role(rules: unknown[], over: Parameters<typeof k8s>[0] = {}): RuntimeEvent {
  return k8s({
    resource: 'clusterroles',
    name: 'r',
    requestObject: { kind: 'ClusterRole', metadata: { name: 'r' }, rules },
    ...over,
  });
}

/** An auditd exec event. `at` is milliseconds after a fixed start. */
export function exec(
  argv: string[],
  p: Partial<ProcessInfo> & { at?: number; paths?: PathItem[]; success?: boolean } = {},
): RuntimeEvent {
  serial += 1;
  const { at, paths, success, ...proc } = p;
  const exe = proc.exe ?? (argv[0]?.startsWith('/') ? argv[0] : `/usr/bin/${argv[0]}`);
  const process: ProcessInfo = {
    pid: 1000 + serial,
    ppid: 500,
    uid: 1000,
    euid: 1000,
    auid: 1000,
    ses: 3,
    tty: 'pts0',
    exe,
    argv,
    ...proc,
  };
  return {
    source: 'auditd',
    kind: 'exec',
    time: T0 + (at ?? serial),
    resource: { type: 'process', id: String(process.pid), parent: { type: 'host', id: 'node-1' } },
    process,
    syscall: { name: 'execve', number: 59, success: success ?? true, a: ['0', '0', '0', '0'] },
    paths: paths ?? [],
    host: 'node-1',
  };
}

/** An auditd connect event. */
export function connect(addr: string, port: number, p: Partial<ProcessInfo> = {}): RuntimeEvent {
  serial += 1;
  const process: ProcessInfo = {
    pid: 2000 + serial,
    ppid: 1,
    uid: 1000,
    auid: 1000,
    exe: '/usr/bin/curl',
    comm: 'curl',
    argv: [],
    ...p,
  };
  return {
    source: 'auditd',
    kind: 'connect',
    time: T0 + serial,
    resource: { type: 'process', id: String(process.pid), parent: { type: 'host', id: 'node-1' } },
    process,
    syscall: { name: 'connect', number: 42, success: true, a: ['3', '0', '10', '0'] },
    socket: { family: addr.includes(':') ? 'ipv6' : 'ipv4', addr, port },
    paths: [],
    host: 'node-1',
  };
}

/** An auditd file event from a watch: syscall name plus paths; `flags` is the open flags (hex). */
export function file(
  syscall: string,
  path: string,
  p: Partial<ProcessInfo> & { flags?: string; nametype?: string; at?: number } = {},
): RuntimeEvent {
  serial += 1;
  const { flags, nametype, at, ...proc } = p;
  const process: ProcessInfo = {
    pid: 3000 + serial,
    ppid: 1,
    uid: 1000,
    auid: 1000,
    exe: '/usr/bin/python3',
    comm: 'python3',
    argv: [],
    ...proc,
  };
  const a = syscall === 'openat' ? ['ffffff9c', '0', flags ?? '0', '0'] : [flags ?? '0', '0', '0', '0'];
  return {
    source: 'auditd',
    kind: 'file',
    time: T0 + (at ?? serial),
    resource: { type: 'process', id: String(process.pid), parent: { type: 'host', id: 'node-1' } },
    process,
    syscall: { name: syscall, number: 0, success: true, a },
    paths: [{ name: path, nametype: nametype ?? 'NORMAL' }],
    host: 'node-1',
  };
}

/** A standalone auditd record (ADD_USER, ANOM_ABEND, CONFIG_CHANGE…). */
export function record(
  type: string,
  fields: Record<string, string>,
  p: Partial<ProcessInfo> = {},
): RuntimeEvent {
  serial += 1;
  const process: ProcessInfo = { pid: Number(fields.pid ?? 1), argv: [], auid: 1000, ...p };
  return {
    source: 'auditd',
    kind: 'user',
    time: T0 + serial,
    resource: { type: 'process', id: String(process.pid), parent: { type: 'host', id: 'node-1' } },
    process,
    record: { type, fields },
    host: 'node-1',
  };
}

/** A syscall event without paths (unshare, kill…). */
export function syscall(name: string, a0: string, p: Partial<ProcessInfo> = {}): RuntimeEvent {
  serial += 1;
  const process: ProcessInfo = { pid: 4000 + serial, argv: [], ...p };
  return {
    source: 'auditd',
    kind: 'syscall',
    time: T0 + serial,
    resource: { type: 'process', id: String(process.pid), parent: { type: 'host', id: 'node-1' } },
    process,
    syscall: { name, number: 0, success: true, a: [a0, '0', '0', '0'] },
    paths: [],
    host: 'node-1',
  };
}

/** A Docker event, optionally with container / exec inspect data. */
export function docker(
  action: string,
  attrs: Record<string, string> = {},
  inspect?: unknown,
  execInspect?: unknown,
  type = 'container',
  id = 'c0ffee',
): RuntimeEvent {
  serial += 1;
  return dockerEvent(
    {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: { image: 'nginx:1.27', name: 'web', ...attrs } },
      time: 1767225600 + serial,
      timeNano: (1767225600 + serial) * 1e9,
    },
    'node-1',
    { container: inspect, exec: execInspect },
  )!;
}
