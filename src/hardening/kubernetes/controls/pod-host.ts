import { capabilityName } from '../objects/defaults.js';
import type { ContainerView, PodSpecView } from '../objects/pod-spec.js';
import type { Parameters } from '../parameters/schema.js';
import { isCredentialPath } from './credential-paths.js';
import { asArray, finding, get, onContainers, onPod, records, sc, str } from './helpers.js';
import { exemptPaths, pssFindings, pssMode } from './pss-rows.js';
import type { Control, ControlFailure } from './types.js';

const SOCKETS = ['docker.sock', 'containerd.sock', 'crio.sock', 'dockershim.sock', 'cri-dockerd.sock'];
/** Runtime state directories that hold the runtime sockets. */
const RUNTIME_DIRS = [
  '/var/run/docker',
  '/run/docker',
  '/var/run/containerd',
  '/run/containerd',
  '/var/run/crio',
  '/run/crio',
];

function under(path: string, prefix: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  return path === p || path.startsWith(`${p}/`) || p === '';
}

type Range = { min: number; max: number };
const within = (n: unknown, ranges: Range[]) =>
  typeof n === 'number' && ranges.some((r) => n >= r.min && n <= r.max);

/** PSP-style runAsUser / runAsGroup / supplementalGroups rules of one container (pod-level groups on the first). */
function idRules(c: ContainerView, pod: PodSpecView, p: Parameters): ControlFailure[] {
  const out: ControlFailure[] = [];
  const user = sc(c).runAsUser ?? pod.securityContext.runAsUser;
  const nonRoot = sc(c).runAsNonRoot ?? pod.securityContext.runAsNonRoot;
  const field = `${c.path}.securityContext`;
  if (p.runAsUserRule === 'MustRunAsNonRoot' && (user === 0 || (user === undefined && nonRoot !== true)))
    out.push(
      finding(`${c.label} may run as root (runAsUser ${String(user ?? 'unset')})`, `${field}.runAsUser`),
    );
  if (p.runAsUserRule === 'MustRunAs' && !within(user, p.runAsUserRanges))
    out.push(
      finding(
        `${c.label} runAsUser ${String(user ?? 'unset')} is not in the allowed ranges`,
        `${field}.runAsUser`,
      ),
    );
  const group = sc(c).runAsGroup ?? pod.securityContext.runAsGroup;
  if (
    (p.runAsGroupRule === 'MustRunAs' || (p.runAsGroupRule === 'MayRunAs' && group !== undefined)) &&
    !within(group, p.runAsGroupRanges)
  )
    out.push(
      finding(
        `${c.label} runAsGroup ${String(group ?? 'unset')} is not in the allowed ranges`,
        `${field}.runAsGroup`,
      ),
    );
  if (c === pod.containers[0] && p.supplementalGroupsRule !== 'RunAsAny') {
    const groups = asArray(pod.securityContext.supplementalGroups);
    const bad = groups.filter((g) => !within(g, p.supplementalGroupsRanges));
    if ((p.supplementalGroupsRule === 'MustRunAs' && groups.length === 0) || bad.length)
      out.push(
        finding(
          `supplementalGroups ${groups.join(',') || 'unset'} are not in the allowed ranges`,
          `${pod.path}.securityContext.supplementalGroups`,
        ),
      );
  }
  return out;
}

export const podHostControls: readonly Control[] = [
  {
    id: 'K8S-POD-01',
    title: 'Privileged container',
    severity: 'CRITICAL',
    standards: ['pss-baseline', 'pss-restricted', 'cis', 'nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation:
      'Remove securityContext.privileged or set it to false; grant only the capabilities the process needs.',
    check: onPod((pod, _i, ctx) => pssFindings('privileged', pod, ctx)),
  },
  {
    id: 'K8S-POD-02',
    title: 'Host PID namespace shared',
    severity: 'HIGH',
    standards: ['pss-baseline', 'pss-restricted', 'cis', 'nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Remove spec.hostPID; a pod that sees host processes can signal and inspect them.',
    check: onPod((pod, _i, ctx) => pssFindings('hostNamespaces', pod, ctx, (f) => f.endsWith('.hostPID'))),
  },
  {
    id: 'K8S-POD-03',
    title: 'Host IPC namespace shared',
    severity: 'HIGH',
    standards: ['pss-baseline', 'pss-restricted', 'cis', 'nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Remove spec.hostIPC; shared IPC lets the pod read host shared memory.',
    check: onPod((pod, _i, ctx) => pssFindings('hostNamespaces', pod, ctx, (f) => f.endsWith('.hostIPC'))),
  },
  {
    id: 'K8S-POD-04',
    title: 'Host network namespace shared',
    severity: 'HIGH',
    standards: ['pss-baseline', 'pss-restricted', 'cis', 'nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Remove spec.hostNetwork; expose the workload through a Service instead.',
    check: onPod((pod, _i, ctx) =>
      !pssMode(ctx) && ctx.params.allowHostNetwork
        ? []
        : pssFindings('hostNamespaces', pod, ctx, (f) => f.endsWith('.hostNetwork')),
    ),
  },
  {
    id: 'K8S-POD-05',
    title: 'Host ports used',
    severity: 'MEDIUM',
    standards: ['pss-baseline', 'pss-restricted', 'cis', 'nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation:
      'Remove hostPort from container ports; use a Service (NodePort or LoadBalancer if it must be reachable).',
    check: onPod((pod, _i, ctx) => {
      const range = ctx.params.hostPortRange;
      const found = pssFindings('hostPorts', pod, ctx);
      if (pssMode(ctx) || !range) return found;
      return found.filter((f) => {
        const port = Number(/hostPort (\d+)/.exec(f.message)?.[1]);
        return !(port >= range.min && port <= range.max);
      });
    }),
  },
  {
    id: 'K8S-POD-06',
    title: 'hostPath volume used',
    severity: 'HIGH',
    standards: ['pss-baseline', 'pss-restricted', 'cis', 'nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Replace hostPath volumes with emptyDir, ConfigMap, Secret or a PersistentVolumeClaim.',
    check: onPod((pod, _i, ctx) => {
      const allowed = ctx.params.allowedHostPaths;
      if (pssMode(ctx) || allowed.length === 0) return pssFindings('hostPathVolumes', pod, ctx);
      const out: ControlFailure[] = [];
      pod.volumes.forEach((v, i) => {
        const path = str(get(v, 'hostPath', 'path'));
        if (path === undefined) return;
        if (!allowed.some((a) => under(path, a.pathPrefix)))
          out.push(
            finding(
              `hostPath ${path} is not under an allowed prefix`,
              `${pod.path}.volumes[${i}].hostPath.path`,
            ),
          );
      });
      return out;
    }),
  },
  {
    id: 'K8S-POD-07',
    title: 'Writable hostPath mount',
    severity: 'HIGH',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Mount hostPath volumes with readOnly: true, or avoid hostPath.',
    check: onContainers((c, pod, ctx) => {
      const hostVolumes = new Map<string, string>();
      for (const v of pod.volumes) {
        const path = str(get(v, 'hostPath', 'path'));
        if (path !== undefined) hostVolumes.set(String(v.name), path);
      }
      const out: ControlFailure[] = [];
      records(c.container.volumeMounts).forEach((m, i) => {
        const path = hostVolumes.get(String(m.name));
        if (path === undefined) return;
        const entry = ctx.params.allowedHostPaths.find((a) => under(path, a.pathPrefix));
        const mustBeReadOnly = !entry || entry.readOnly === true || ctx.params.allowedHostPaths.length === 0;
        if (mustBeReadOnly && m.readOnly !== true)
          out.push(
            finding(`${c.label} mounts hostPath ${path} writable`, `${c.path}.volumeMounts[${i}].readOnly`),
          );
      });
      return out;
    }),
  },
  {
    id: 'K8S-POD-08',
    title: 'Container runtime socket mounted',
    severity: 'CRITICAL',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Do not mount the container runtime socket; it gives full control of the node.',
    check: onPod((pod) => {
      const out: ControlFailure[] = [];
      pod.volumes.forEach((v, i) => {
        const path = str(get(v, 'hostPath', 'path'));
        if (
          path &&
          (SOCKETS.some((s) => path.replace(/\/+$/, '').endsWith(`/${s}`)) ||
            RUNTIME_DIRS.includes(path.replace(/\/+$/, '')))
        )
          out.push(
            finding(
              `volume "${String(v.name)}" mounts the runtime socket ${path}`,
              `${pod.path}.volumes[${i}].hostPath.path`,
            ),
          );
      });
      return out;
    }),
  },
  {
    id: 'K8S-POD-09',
    title: 'Capabilities added beyond the baseline set',
    severity: 'HIGH',
    standards: ['pss-baseline', 'pss-restricted', 'cis', 'nsa'],
    scope: 'M',
    version: 2,
    remediation: 'Add only the capabilities the process needs, from the allowed set.',
    check: onPod((pod, _i, ctx) => {
      if (pssMode(ctx)) return pssFindings('capabilities_baseline', pod, ctx);
      if (ctx.params.allowedCapabilities.includes('*')) return [];
      const allowed = new Set(ctx.params.allowedCapabilities.map(capabilityName));
      const out: ControlFailure[] = [];
      const exempt = exemptPaths(pod, ctx);
      for (const c of pod.containers) {
        if (exempt.includes(c.path)) continue;
        const bad = asArray(get(sc(c), 'capabilities', 'add'))
          .map(String)
          .filter((x) => !allowed.has(capabilityName(x)));
        if (bad.length)
          out.push(
            finding(`${c.label} adds ${bad.join(', ')}`, `${c.path}.securityContext.capabilities.add`),
          );
      }
      return out;
    }),
  },
  {
    id: 'K8S-POD-10',
    title: 'Dangerous capability added',
    severity: 'CRITICAL',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Remove SYS_ADMIN, NET_ADMIN, ALL and similar capabilities from capabilities.add.',
    check: onContainers((c, _p, ctx) => {
      const bad = new Set(ctx.params.disallowedCapabilities.map(capabilityName));
      const added = asArray(get(sc(c), 'capabilities', 'add')).map(capabilityName);
      const hit = added.filter((x) => bad.has(x));
      return hit.length
        ? finding(`${c.label} adds ${hit.join(', ')}`, `${c.path}.securityContext.capabilities.add`)
        : undefined;
    }),
  },
  {
    id: 'K8S-POD-11',
    title: 'Capabilities not dropped (restricted)',
    severity: 'MEDIUM',
    standards: ['pss-restricted', 'cis'],
    scope: 'M',
    version: 2,
    remediation: 'Set securityContext.capabilities.drop: [ALL] and add back only NET_BIND_SERVICE if needed.',
    check: onPod((pod, _i, ctx) => {
      if (pssMode(ctx)) return pssFindings('capabilities_restricted', pod, ctx);
      if (pod.isWindows) return [];
      const out: ControlFailure[] = [];
      const exempt = exemptPaths(pod, ctx);
      for (const c of pod.containers) {
        if (exempt.includes(c.path)) continue;
        const drop = asArray(get(sc(c), 'capabilities', 'drop')).map(capabilityName);
        const missing = ctx.params.requiredDropCapabilities.filter(
          (x) => !drop.includes(capabilityName(x)) && !drop.includes('ALL'),
        );
        if (missing.length)
          out.push(
            finding(
              `${c.label} does not drop ${missing.join(', ')}`,
              `${c.path}.securityContext.capabilities.drop`,
            ),
          );
        const add = asArray(get(sc(c), 'capabilities', 'add'))
          .map(String)
          .filter((x) => capabilityName(x) !== 'NET_BIND_SERVICE');
        if (ctx.params.restrictAddToNetBindService && add.length)
          out.push(
            finding(`${c.label} adds ${add.join(', ')}`, `${c.path}.securityContext.capabilities.add`),
          );
      }
      return out;
    }),
  },
  {
    id: 'K8S-POD-12',
    title: 'NET_RAW not dropped',
    severity: 'MEDIUM',
    standards: ['cis'],
    scope: 'M',
    version: 1,
    remediation: 'Drop NET_RAW (or ALL) in securityContext.capabilities.drop.',
    check: onContainers((c, pod) => {
      if (pod.isWindows) return undefined;
      const drop = asArray(get(sc(c), 'capabilities', 'drop')).map(capabilityName);
      const add = asArray(get(sc(c), 'capabilities', 'add')).map(capabilityName);
      if (add.includes('NET_RAW') || add.includes('ALL'))
        return finding(`${c.label} adds NET_RAW`, `${c.path}.securityContext.capabilities.add`);
      if (drop.includes('NET_RAW') || drop.includes('ALL')) return undefined;
      return finding(`${c.label} does not drop NET_RAW`, `${c.path}.securityContext.capabilities.drop`);
    }),
  },
  {
    id: 'K8S-POD-13',
    title: 'Privilege escalation allowed',
    severity: 'HIGH',
    standards: ['pss-restricted', 'cis', 'nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
    check: onPod((pod, _i, ctx) => pssFindings('allowPrivilegeEscalation', pod, ctx)),
  },
  {
    id: 'K8S-POD-14',
    title: 'May run as root (runAsNonRoot not true)',
    severity: 'HIGH',
    standards: ['pss-restricted', 'cis', 'nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Set securityContext.runAsNonRoot: true at pod level (and a non-zero runAsUser).',
    check: onPod((pod, _i, ctx) => pssFindings('runAsNonRoot', pod, ctx)),
  },
  {
    id: 'K8S-POD-15',
    title: 'Explicit root UID',
    severity: 'HIGH',
    standards: ['pss-restricted'],
    scope: 'M',
    version: 1,
    remediation: 'Set runAsUser to a non-zero UID (or remove runAsUser: 0).',
    check: onPod((pod, _i, ctx) => pssFindings('runAsUser', pod, ctx)),
  },
  {
    id: 'K8S-POD-16',
    title: 'UID/GID outside approved ranges',
    severity: 'MEDIUM',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Run with runAsUser and runAsGroup of 10000 or more (outside host user ranges).',
    check: onContainers((c, pod, ctx) => {
      if (pod.isWindows) return undefined;
      const out: ControlFailure[] = idRules(c, pod, ctx.params);
      if (c.list === 'ephemeralContainers') return out;
      const min = ctx.params.minUserId;
      const fsGroup = pod.securityContext.fsGroup;
      const { fsGroupRule: rule, fsGroupRanges: ranges } = ctx.params;
      const inRange = (n: unknown) => typeof n === 'number' && ranges.some((r) => n >= r.min && n <= r.max);
      if (c === pod.containers.find((x) => x.list !== 'ephemeralContainers') && rule !== 'RunAsAny') {
        if (rule === 'MustRunAs' && !inRange(fsGroup))
          out.push(
            finding(
              `fsGroup ${String(fsGroup ?? 'unset')} is not in the allowed ranges`,
              `${pod.path}.securityContext.fsGroup`,
            ),
          );
        if (rule === 'MayRunAs' && fsGroup !== undefined && !inRange(fsGroup))
          out.push(
            finding(
              `fsGroup ${String(fsGroup)} is not in the allowed ranges`,
              `${pod.path}.securityContext.fsGroup`,
            ),
          );
      }
      if (!ctx.params.checkUserGroupIds) return out;
      for (const key of ['runAsUser', 'runAsGroup'] as const) {
        const value = sc(c)[key] ?? pod.securityContext[key];
        const n = typeof value === 'number' ? value : undefined;
        const inRanges =
          key === 'runAsUser' && ctx.params.runAsUserRanges.length > 0 && n !== undefined
            ? ctx.params.runAsUserRanges.some((r) => n >= r.min && n <= r.max)
            : n !== undefined && n >= min;
        if (!inRanges)
          out.push(
            finding(
              `${c.label} ${key} ${n === undefined ? 'not set' : `${n} is below ${min}`}`,
              `${c.path}.securityContext.${key}`,
            ),
          );
      }
      return out;
    }),
  },
  {
    id: 'K8S-POD-35',
    title: 'Cloud credential files mounted',
    severity: 'HIGH',
    standards: [],
    scope: 'M',
    version: 1,
    remediation:
      'Do not mount cloud provider credential files or kubelet directories into pods; use workload identity.',
    check: onPod((pod) => {
      const out: ControlFailure[] = [];
      pod.volumes.forEach((v, i) => {
        const path = str(get(v, 'hostPath', 'path'));
        if (path && isCredentialPath(path))
          out.push(
            finding(
              `volume "${String(v.name)}" mounts credential location ${path}`,
              `${pod.path}.volumes[${i}].hostPath.path`,
            ),
          );
      });
      return out;
    }),
  },
];
