import { effectiveConfig } from '../evidence/daemon-config.js';
import * as schema from '../evidence/schema.js';
import type { ContainerEvidence, DaemonEvidence, Evidence, ImageEvidence } from '../types.js';

/** A container as the Engine API would describe it; `raw` overrides the inspect JSON. */
export function container(
  name: string,
  raw: Record<string, unknown> = {},
  extra: Partial<ContainerEvidence> = {},
): ContainerEvidence {
  const { HostConfig, Config, ...rest } = raw as { HostConfig?: object; Config?: object };
  const inspect = schema.containerInspect.parse({
    Id: `${name.padEnd(12, '0')}`.replace(/[^0-9a-z]/g, 'a'),
    Name: `/${name}`,
    Image: 'sha256:img',
    State: { Status: 'running', Running: true },
    Config: { User: '', Image: 'img', Labels: {}, ...Config },
    HostConfig: { NetworkMode: 'bridge', RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, ...HostConfig },
    Mounts: [],
    NetworkSettings: { Networks: {}, Ports: {} },
    ...rest,
  });
  return { inspect, processes: { ok: true, value: [] }, execs: { ok: true, value: [] }, ...extra };
}

export function image(tag: string, raw: Record<string, unknown> = {}, history: string[] = []): ImageEvidence {
  return {
    inspect: schema.imageInspect.parse({ Id: `sha256:${tag}`, RepoTags: [tag], Config: {}, ...raw }),
    history: { ok: true, value: history.map((CreatedBy) => ({ Created: 0, CreatedBy, Comment: '' })) },
    setuidFiles: { ok: true, value: [] },
  };
}

export function daemon(
  file: Record<string, unknown> = {},
  flags: Record<string, unknown> = {},
): DaemonEvidence {
  return {
    pid: 100,
    exe: '/usr/sbin/dockerd',
    uid: 0,
    argv: ['/usr/sbin/dockerd'],
    configFile: { path: '/etc/docker/daemon.json', explicit: false, exists: true },
    config: effectiveConfig(flags, file),
  };
}

/** Evidence of a small, quiet host; tests override what they look at. */
export function evidence(overrides: Partial<Evidence> = {}, info: Record<string, unknown> = {}): Evidence {
  return {
    endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock', display: 'unix:///var/run/docker.sock' },
    info: schema.info.parse({
      ID: 'DAEMON',
      Name: 'testhost',
      DockerRootDir: '/var/lib/docker',
      Driver: 'overlay2',
      LoggingDriver: 'json-file',
      SecurityOptions: ['name=seccomp,profile=default'],
      ...info,
    }),
    version: schema.version.parse({ Version: '28.0.0', ApiVersion: '1.48' }),
    containers: [],
    excludedContainers: [],
    images: [],
    imagesInUse: new Set(),
    networks: [
      schema.network.parse({
        Id: 'n1',
        Name: 'bridge',
        Driver: 'bridge',
        Options: { 'com.docker.network.bridge.default_bridge': 'true' },
      }),
    ],
    volumes: [],
    plugins: [],
    swarm: null,
    daemon: { ok: true, value: daemon() },
    host: {
      hostname: 'testhost',
      root: '/',
      files: new Map(),
      audit: { ok: true, value: { source: 'test', rules: [] } },
      dockerGroup: { ok: true, value: null },
      mounts: { ok: true, value: [] },
      units: { ok: true, value: { service: null, socket: null, dropIns: [] } },
      binaries: { ok: true, value: {} },
      dockerSockets: { ok: true, value: ['/var/run/docker.sock'] },
      socketActivatedTcp: { ok: true, value: [] },
      containerdSockets: { ok: true, value: [] },
      registryCerts: { ok: true, value: [] },
      contentTrust: [],
      dockerProxies: { ok: true, value: 0 },
    },
    policy: { trustedUsers: [] },
    ...overrides,
  };
}
