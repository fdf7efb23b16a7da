import { z } from 'zod';

/**
 * The Engine API answers, read permissively: every field Bulkhead uses has a fallback, so an older or newer
 * daemon that leaves a field out (or changes its type) gives an empty value instead of a crash.
 */
const str = z.string().catch('');
const bool = z.boolean().catch(false);
const numOrNull = z.number().nullable().catch(null);
const strList = z
  .array(z.string())
  .nullable()
  .catch(null)
  .transform((v) => v ?? []);
const strMap = z
  .record(z.string(), z.string())
  .nullable()
  .catch(null)
  .transform((v) => v ?? {});

const healthcheck = z
  .object({ Test: strList })
  .nullable()
  .catch(null)
  .transform((v) => v ?? null);

const portBinding = z.object({ HostIp: str, HostPort: str });
const portMap = z
  .record(z.string(), z.array(portBinding).nullable().catch(null))
  .nullable()
  .catch(null)
  .transform((v) => v ?? {});

export const containerInspect = z.object({
  Id: z.string(),
  Name: str.transform((n) => n.replace(/^\//, '')),
  /** The image id (`sha256:…`); `Config.Image` is the name the container was created from. */
  Image: str,
  Created: str,
  State: z
    .object({ Status: str, Running: bool, Pid: z.number().catch(0) })
    .catch({ Status: '', Running: false, Pid: 0 }),
  AppArmorProfile: str,
  ProcessLabel: str,
  MountLabel: str,
  ExecIDs: strList,
  Config: z
    .object({
      User: str,
      Image: str,
      Labels: strMap,
      Healthcheck: healthcheck,
      ExposedPorts: z
        .record(z.string(), z.unknown())
        .nullable()
        .catch(null)
        .transform((v) => Object.keys(v ?? {}).sort()),
    })
    .catch({ User: '', Image: '', Labels: {}, Healthcheck: null, ExposedPorts: [] }),
  HostConfig: z.object({
    Privileged: bool,
    CapAdd: strList,
    CapDrop: strList,
    NetworkMode: str,
    PidMode: str,
    IpcMode: str,
    UTSMode: str,
    UsernsMode: str,
    Memory: z.number().catch(0),
    CpuShares: z.number().catch(0),
    NanoCpus: z.number().catch(0),
    CpuQuota: z.number().catch(0),
    ReadonlyRootfs: bool,
    PortBindings: portMap,
    PublishAllPorts: bool,
    RestartPolicy: z
      .object({ Name: str, MaximumRetryCount: z.number().catch(0) })
      .catch({ Name: '', MaximumRetryCount: 0 }),
    Devices: z
      .array(z.object({ PathOnHost: str, PathInContainer: str, CgroupPermissions: str }))
      .nullable()
      .catch(null)
      .transform((v) => v ?? []),
    DeviceCgroupRules: strList,
    Ulimits: z
      .array(z.object({ Name: str, Soft: z.number().catch(0), Hard: z.number().catch(0) }))
      .nullable()
      .catch(null)
      .transform((v) => v ?? []),
    SecurityOpt: strList,
    CgroupParent: str,
    PidsLimit: numOrNull,
  }),
  Mounts: z
    .array(z.object({ Type: str, Source: str, Destination: str, RW: bool, Propagation: str }))
    .nullable()
    .catch(null)
    .transform((v) => v ?? []),
  NetworkSettings: z
    .object({
      Networks: z
        .record(z.string(), z.object({ NetworkID: str }).catch({ NetworkID: '' }))
        .nullable()
        .catch(null)
        .transform((v) => v ?? {}),
      Ports: portMap,
    })
    .catch({ Networks: {}, Ports: {} }),
});
export type ContainerInspect = z.infer<typeof containerInspect>;

export const containerSummary = z.object({ Id: z.string() });

export const imageSummary = z.object({ Id: z.string() });

export const imageInspect = z.object({
  Id: z.string(),
  RepoTags: strList.transform((tags) => [...tags].sort()),
  RepoDigests: strList,
  Created: str,
  Size: z.number().optional().catch(undefined),
  Config: z
    .object({ User: str, Env: strList, Labels: strMap, Healthcheck: healthcheck })
    .nullable()
    .catch(null)
    .transform((v) => v ?? { User: '', Env: [], Labels: {}, Healthcheck: null }),
  GraphDriver: z.object({ Name: str, Data: strMap }).catch({ Name: '', Data: {} }),
});
export type ImageInspect = z.infer<typeof imageInspect>;

export const historyEntry = z.object({ Created: z.number().catch(0), CreatedBy: str, Comment: str });
export type HistoryEntry = z.infer<typeof historyEntry>;

export const execInspect = z.object({
  ID: str,
  Running: bool,
  Privileged: bool,
  ProcessConfig: z
    .object({ user: str, entrypoint: str, arguments: strList, privileged: bool })
    .catch({ user: '', entrypoint: '', arguments: [], privileged: false }),
});
export type ExecInspect = z.infer<typeof execInspect>;

export const topAnswer = z.object({
  Titles: strList,
  Processes: z
    .array(z.array(z.string()))
    .nullable()
    .catch(null)
    .transform((v) => v ?? []),
});

export const network = z.object({
  Id: str,
  Name: str,
  Driver: str,
  Scope: str,
  Options: strMap,
  Labels: strMap,
});
export type Network = z.infer<typeof network>;

export const volume = z.object({ Name: str, Driver: str, Mountpoint: str });
export const volumeList = z.object({
  Volumes: z
    .array(volume)
    .nullable()
    .catch(null)
    .transform((v) => v ?? []),
});

export const plugin = z.object({ Name: str, Enabled: bool });

export const info = z.object({
  ID: str,
  Name: str,
  ServerVersion: str,
  Containers: z.number().catch(0),
  Images: z.number().catch(0),
  Driver: str,
  DriverStatus: z
    .array(z.array(z.string()))
    .nullable()
    .catch(null)
    .transform((v) => v ?? []),
  Debug: bool,
  LoggingDriver: str,
  CgroupDriver: str,
  KernelVersion: str,
  OperatingSystem: str,
  DockerRootDir: str,
  LiveRestoreEnabled: bool,
  ExperimentalBuild: bool,
  SecurityOptions: strList,
  Runtimes: z
    .record(z.string(), z.object({ path: str }).catch({ path: '' }))
    .nullable()
    .catch(null)
    .transform((v) => v ?? {}),
  DefaultRuntime: str,
  Plugins: z.object({ Authorization: strList, Log: strList }).catch({ Authorization: [], Log: [] }),
  RegistryConfig: z
    .object({
      InsecureRegistryCIDRs: strList,
      IndexConfigs: z
        .record(z.string(), z.object({ Name: str, Secure: z.boolean().catch(true) }))
        .nullable()
        .catch(null)
        .transform((v) => v ?? {}),
    })
    .catch({ InsecureRegistryCIDRs: [], IndexConfigs: {} }),
  Swarm: z
    .object({
      LocalNodeState: str,
      ControlAvailable: bool,
      NodeAddr: str,
      Managers: z.number().catch(0),
      Nodes: z.number().catch(0),
    })
    .catch({ LocalNodeState: '', ControlAvailable: false, NodeAddr: '', Managers: 0, Nodes: 0 }),
});
export type Info = z.infer<typeof info>;

export const version = z.object({
  Version: str,
  ApiVersion: str,
  Experimental: z.union([z.boolean(), z.string().transform((s) => s === 'true')]).catch(false),
  Components: z
    .array(z.object({ Name: str, Version: str }))
    .nullable()
    .catch(null)
    .transform((v) => v ?? []),
});
export type Version = z.infer<typeof version>;

export const swarm = z.object({
  ID: str,
  Spec: z
    .object({
      EncryptionConfig: z.object({ AutoLockManagers: bool }).catch({ AutoLockManagers: false }),
      CAConfig: z.object({ NodeCertExpiry: z.number().catch(0) }).catch({ NodeCertExpiry: 0 }),
    })
    .catch({ EncryptionConfig: { AutoLockManagers: false }, CAConfig: { NodeCertExpiry: 0 } }),
  DataPathPort: z.number().catch(0),
});
export type Swarm = z.infer<typeof swarm>;

export const node = z.object({
  ID: str,
  Description: z.object({ Hostname: str }).catch({ Hostname: '' }),
  Spec: z.object({ Role: str }).catch({ Role: '' }),
  Status: z.object({ Addr: str }).catch({ Addr: '' }),
  ManagerStatus: z
    .object({ Addr: str, Leader: bool })
    .nullable()
    .catch(null)
    .optional()
    .transform((v) => v ?? null),
});
export type SwarmNode = z.infer<typeof node>;

export const service = z.object({
  ID: str,
  Spec: z
    .object({
      Name: str,
      TaskTemplate: z
        .object({
          ContainerSpec: z
            .object({
              Env: strList,
              Secrets: z
                .array(z.object({ SecretName: str }))
                .nullable()
                .catch(null)
                .transform((v) => v ?? []),
            })
            .catch({ Env: [], Secrets: [] }),
        })
        .catch({ ContainerSpec: { Env: [], Secrets: [] } }),
    })
    .catch({ Name: '', TaskTemplate: { ContainerSpec: { Env: [], Secrets: [] } } }),
});
export type SwarmService = z.infer<typeof service>;

/** `<data-root>/swarm/docker-state.json`: the addresses the swarm listens and advertises on. */
export const swarmState = z.object({
  ListenAddr: str,
  AdvertiseAddr: str,
  DataPathAddr: str,
});
export type SwarmState = z.infer<typeof swarmState>;
