import type { ControlStatus } from '../../core/results.js';
import type { Severity } from '../../core/severity.js';
import type { AuditRule } from './evidence/audit-rules.js';
import type { EffectiveConfig } from './evidence/daemon-config.js';
import type { EngineEndpoint } from './evidence/engine-client.js';
import type {
  ContainerInspect,
  ExecInspect,
  HistoryEntry,
  ImageInspect,
  Info,
  Network,
  SwarmNode,
  SwarmService,
  Swarm as SwarmSpec,
  SwarmState,
  Version,
} from './evidence/schema.js';

/** A piece of evidence, or why it could not be read. Controls turn a missing piece into `error`. */
export type Source<T> = { ok: true; value: T } | { ok: false; reason: string };

export const ok = <T>(value: T): Source<T> => ({ ok: true, value });
export const missing = <T>(reason: string): Source<T> => ({ ok: false, reason });

export interface FileStat {
  path: string;
  /** The path with symlinks resolved. */
  realPath: string;
  type: 'file' | 'directory' | 'socket' | 'symlink' | 'other';
  uid: number;
  gid: number;
  owner: string;
  group: string;
  /** Permission bits, e.g. 0o644 (setuid/setgid/sticky included). */
  mode: number;
}

export interface ProcessInfo {
  comm: string;
  args: string;
}

export interface ContainerEvidence {
  inspect: ContainerInspect;
  /** Processes of a running container (Engine API `top`); null when the container is not running. */
  processes: Source<ProcessInfo[]> | null;
  /** Exec instances the daemon still knows (running or recently ended). */
  execs: Source<ExecInspect[]>;
}

export interface ImageEvidence {
  inspect: ImageInspect;
  /** History, newest first, with untruncated CreatedBy. */
  history: Source<HistoryEntry[]>;
  /** Files with setuid or setgid bits in the image's merged layers; null when not collected. */
  setuidFiles: Source<string[]> | null;
}

export interface DaemonEvidence {
  pid: number;
  /** Resolved executable (`/proc/<pid>/exe`). */
  exe: string;
  uid: number;
  argv: string[];
  /** The config file in use and whether it exists (`--config-file` or the default). */
  configFile: { path: string; explicit: boolean; exists: boolean };
  config: EffectiveConfig;
}

export interface SwarmEvidence {
  swarm: SwarmSpec;
  nodes: SwarmNode[];
  services: SwarmService[];
  /** Listen/advertise/data-path addresses kept by the daemon under its data root. */
  state: Source<SwarmState>;
}

export interface HostEvidence {
  hostname: string;
  /** Host file root the evidence was read under (`--root`). */
  root: string;
  /** stat of every path a control needs; `null` value = the path does not exist. */
  files: ReadonlyMap<string, Source<FileStat | null>>;
  audit: Source<{ source: string; rules: AuditRule[] }>;
  dockerGroup: Source<{ name: string; gid: number; members: string[] } | null>;
  /** Mount table lines (mountinfo) as [mountPoint, majorMinor, root-within-fs, fstype, source]. */
  mounts: Source<{ mountPoint: string; device: string; fsRoot: string; fsType: string; source: string }[]>;
  units: Source<{ service: string | null; socket: string | null; dropIns: string[] }>;
  /** Executables in use: dockerd, containerd, shims, runc (null = not installed). */
  binaries: Source<Record<string, string | null>>;
  dockerSockets: Source<string[]>;
  /** TCP addresses docker.socket listens on for a daemon started with `-H fd://`. */
  socketActivatedTcp: Source<string[]>;
  containerdSockets: Source<string[]>;
  /** Files under /etc/docker/certs.d (registry certificates). */
  registryCerts: Source<FileStat[]>;
  /** Where DOCKER_CONTENT_TRUST was looked for and what was found. */
  contentTrust: { value: string | undefined; source: string }[];
  /** Number of docker-proxy processes running (userland proxy in use). */
  dockerProxies: Source<number>;
}

export interface Evidence {
  endpoint: EngineEndpoint;
  info: Info;
  version: Version;
  /** All containers, running or not (minus --exclude-container), sorted by name. */
  containers: ContainerEvidence[];
  /** Names of containers left out by --exclude-container. */
  excludedContainers: string[];
  /** Top-level images, sorted by first tag then id. */
  images: ImageEvidence[];
  /** Image ids used by any container (including excluded ones). */
  imagesInUse: ReadonlySet<string>;
  networks: Network[];
  volumes: { Name: string; Driver: string }[];
  plugins: { Name: string; Enabled: boolean }[];
  /** null when swarm mode is not active on this node. */
  swarm: Source<SwarmEvidence> | null;
  daemon: Source<DaemonEvidence>;
  host: HostEvidence;
  /** Operator policy the checks compare against. */
  policy: { trustedUsers: string[] };
}

/** A resource a result concerns (CONTRACTS.md: type, id, name). */
export interface BenchResource {
  type: 'host' | 'daemon' | 'image' | 'container' | 'file' | 'network';
  id: string;
  name: string;
}

/** What a control's check returns. */
export interface Outcome {
  status: ControlStatus;
  message: string;
  /** Failing resources (for fail/warn), the ones to review (manual) or the ones that could not be read (error). */
  resources?: BenchResource[];
  evidence?: unknown;
}

/**
 * One recommendation of the CIS Docker Benchmark: `check` judges the evidence of the whole host (daemon, files,
 * images, containers) at once and returns one `Outcome`. Not the Kubernetes `Control`
 * (hardening/kubernetes/controls/types.ts), which is evaluated per object and returns `ControlFailure[] | null`.
 */
export interface Control {
  /** v1.8.0 number. @example '2.8' */
  id: string;
  /** v1.6.0/v1.7.0 number, null when new in v1.8.0. @example '2.7' */
  legacyId: string | null;
  title: string;
  /** @example '1.1', '2', '5' */
  section: string;
  level: 1 | 2;
  /** Marked Automated by CIS v1.8.0. */
  automated: boolean;
  severity: Severity;
  /** Version of this control's logic, written into stored results. */
  version: number;
  remediation: string;
  check(evidence: Evidence): Outcome;
}
