import { capabilityName } from '../objects/defaults.js';
import { type PodSpecView, podSpecOf } from '../objects/pod-spec.js';
import {
  asArray,
  finding,
  get,
  glob,
  isRecord,
  onContainers,
  onKinds,
  onPod,
  records,
  sc,
  str,
} from './helpers.js';
import { appArmorOutsideList, exemptPaths, pssFindings, pssMode } from './pss-rows.js';
import type { Control, ControlFailure } from './types.js';

const HARDENED_RUNTIMES = /^(gvisor|runsc|kata.*|kata)$/;

/** kubelet releases fixed for CVE-2021-25741 (subPath symlink exchange). */
const SUBPATH_FIXED: Readonly<Record<string, number>> = { '1.19': 15, '1.20': 11, '1.21': 5, '1.22': 2 };

function kubeletVulnerable(version: string): boolean {
  const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (major !== 1) return false;
  if (minor < 19) return true;
  const fixed = SUBPATH_FIXED[`1.${minor}`];
  return fixed !== undefined && patch < fixed;
}

export const podHardeningControls: readonly Control[] = [
  {
    id: 'K8S-POD-17',
    title: 'Seccomp profile unconfined (baseline)',
    severity: 'HIGH',
    standards: ['pss-baseline', 'pss-restricted'],
    scope: 'M',
    version: 1,
    remediation: 'Use seccompProfile.type RuntimeDefault (or a Localhost profile), never Unconfined.',
    check: onPod((pod, _i, ctx) => pssFindings('seccompProfile_baseline', pod, ctx)),
  },
  {
    id: 'K8S-POD-18',
    title: 'Seccomp profile not set (restricted)',
    severity: 'MEDIUM',
    standards: ['pss-restricted', 'cis', 'nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Set spec.securityContext.seccompProfile.type: RuntimeDefault.',
    check: onPod((pod, item, ctx) => {
      const allowed = ctx.params.allowedSeccompProfiles;
      if (!pssMode(ctx) && ctx.params.acceptAnyLinuxHardening) return unhardened(pod, exemptPaths(pod, ctx));
      if (pssMode(ctx) || allowed === undefined) return pssFindings('seccompProfile_restricted', pod, ctx);
      return seccompAllowed(pod, item.object.metadata.annotations ?? {}, allowed, exemptPaths(pod, ctx));
    }),
  },
  {
    id: 'K8S-POD-19',
    title: 'AppArmor profile overridden',
    severity: 'MEDIUM',
    standards: ['pss-baseline', 'pss-restricted', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation:
      'Use appArmorProfile.type RuntimeDefault or Localhost; remove unconfined AppArmor annotations.',
    check: onPod((pod, _i, ctx) => {
      const pss = pssFindings('appArmorProfile', pod, ctx);
      const allowed = ctx.params.allowedAppArmorProfiles;
      if (pssMode(ctx) || allowed === undefined) return pss;
      const listed = appArmorOutsideList(pod, pod.metadata.annotations, allowed, exemptPaths(pod, ctx));
      return [...pss, ...listed.filter((f) => !pss.some((p) => p.field === f.field))];
    }),
  },
  {
    id: 'K8S-POD-20',
    title: 'Custom SELinux options',
    severity: 'MEDIUM',
    standards: ['pss-baseline', 'pss-restricted', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Leave seLinuxOptions unset or use a container_* type without user or role.',
    check: onPod((pod, _i, ctx) => pssFindings('seLinuxOptions', pod, ctx)),
  },
  {
    id: 'K8S-POD-21',
    title: 'Unmasked /proc mount',
    severity: 'HIGH',
    standards: ['pss-baseline', 'pss-restricted', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Remove securityContext.procMount or set it to Default.',
    check: onPod((pod, _i, ctx) => {
      if (ctx.standard === 'pss-baseline') return pssFindings('procMount', pod, ctx);
      if (!pssMode(ctx) && ctx.params.allowedProcMount === 'Unmasked') return [];
      const restricted = pssFindings('procMount_restricted', pod, ctx);
      return restricted.length ? restricted : pssFindings('procMount', pod, ctx);
    }),
  },
  {
    id: 'K8S-POD-22',
    title: 'Unsafe sysctls',
    severity: 'HIGH',
    standards: ['pss-baseline', 'pss-restricted'],
    scope: 'M',
    version: 1,
    remediation: 'Use only the safe sysctls of the Pod Security Standards; set others on the node.',
    check: onPod((pod, _i, ctx) => {
      const allowedSysctls = ctx.params.allowedSysctls;
      const unsafeAllowed = pssMode(ctx) ? [] : ctx.params.allowedUnsafeSysctls;
      const sysctlAt = (field: string | undefined) =>
        String(
          get(pod.securityContext, 'sysctls', Number(/sysctls\[(\d+)\]/.exec(field ?? '')?.[1]), 'name'),
        );
      const out: ControlFailure[] =
        pssMode(ctx) || allowedSysctls === undefined
          ? pssFindings('sysctls', pod, ctx).filter(
              (f) => !unsafeAllowed.some((a) => glob(a, sysctlAt(f.field))),
            )
          : records(pod.securityContext.sysctls)
              .map((s, i) => ({ name: String(s.name), i }))
              .filter(({ name }) => !allowedSysctls.some((a) => glob(a, name)))
              .map(({ name, i }) =>
                finding(`sysctl ${name} is not allowed`, `${pod.path}.securityContext.sysctls[${i}].name`),
              );
      if (pssMode(ctx)) return out;
      records(pod.securityContext.sysctls).forEach((s, i) => {
        const name = String(s.name);
        if (
          ctx.params.forbiddenSysctls.some((f) => glob(f, name)) &&
          !out.some((o) => o.field?.endsWith(`sysctls[${i}].name`))
        )
          out.push(finding(`forbidden sysctl ${name}`, `${pod.path}.securityContext.sysctls[${i}].name`));
      });
      return out;
    }),
  },
  {
    id: 'K8S-POD-23',
    title: 'Windows HostProcess container',
    severity: 'CRITICAL',
    standards: ['pss-baseline', 'pss-restricted', 'cis', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Remove windowsOptions.hostProcess; HostProcess containers run with host access.',
    check: onPod((pod, _i, ctx) => pssFindings('windowsHostProcess', pod, ctx)),
  },
  {
    id: 'K8S-POD-24',
    title: 'Probe or lifecycle handler targets another host',
    severity: 'MEDIUM',
    standards: ['pss-baseline', 'pss-restricted'],
    scope: 'M',
    version: 1,
    remediation:
      'Remove host from httpGet/tcpSocket probes and lifecycle handlers (they default to the pod IP).',
    check: onPod((pod, _i, ctx) => pssFindings('hostProbesAndHostLifecycle', pod, ctx)),
  },
  {
    id: 'K8S-POD-25',
    title: 'Non-core volume type',
    severity: 'MEDIUM',
    standards: ['pss-restricted'],
    scope: 'M',
    version: 2,
    remediation:
      'Use configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral or persistentVolumeClaim volumes.',
    check: onPod((pod, _i, ctx) => {
      const allowed = ctx.params.allowedVolumeTypes;
      if (pssMode(ctx) || allowed.includes('*'))
        return pssMode(ctx) ? pssFindings('restrictedVolumes', pod, ctx) : [];
      const out: ControlFailure[] = [];
      pod.volumes.forEach((v, i) => {
        const type = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
        if (!allowed.includes(type))
          out.push(finding(`volume "${String(v.name)}" uses ${type}`, `${pod.path}.volumes[${i}].${type}`));
      });
      return out;
    }),
  },
  {
    id: 'K8S-POD-26',
    title: 'FlexVolume driver not allowed',
    severity: 'MEDIUM',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Use a CSI driver, or add the FlexVolume driver to allowedFlexVolumeDrivers.',
    check: onPod((pod, _i, ctx) => {
      const out: ControlFailure[] = [];
      pod.volumes.forEach((v, i) => {
        if (!isRecord(v.flexVolume)) return;
        const driver = String(v.flexVolume.driver ?? '');
        if (!ctx.params.allowedFlexVolumeDrivers.includes(driver))
          out.push(
            finding(
              `FlexVolume driver "${driver}" is not allowed`,
              `${pod.path}.volumes[${i}].flexVolume.driver`,
            ),
          );
      });
      return out;
    }),
  },
  {
    id: 'K8S-POD-27',
    title: 'Root filesystem writable',
    severity: 'MEDIUM',
    standards: ['nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation:
      'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir where writes are needed.',
    check: onContainers((c) =>
      sc(c).readOnlyRootFilesystem === true
        ? undefined
        : finding(
            `${c.label} has a writable root filesystem`,
            `${c.path}.securityContext.readOnlyRootFilesystem`,
          ),
    ),
  },
  {
    id: 'K8S-POD-28',
    title: 'No security context at all',
    severity: 'MEDIUM',
    standards: ['cis'],
    scope: 'M',
    version: 1,
    remediation:
      'Define a securityContext for the pod and its containers (runAsNonRoot, seccomp, capabilities).',
    check: onContainers((c, pod) => {
      const podHas = Object.keys(pod.securityContext).length > 0;
      const containerHas = Object.keys(sc(c)).length > 0;
      return podHas || containerHas
        ? undefined
        : finding(`neither the pod nor ${c.label} sets a securityContext`, `${c.path}.securityContext`);
    }),
  },
  {
    id: 'K8S-POD-29',
    title: 'Windows container runs as ContainerAdministrator / unapproved user',
    severity: 'HIGH',
    standards: [],
    scope: 'M',
    version: 1,
    remediation:
      'Run Windows containers as ContainerUser or an approved account (windowsOptions.runAsUserName).',
    check: onContainers((c, pod, ctx) => {
      const user =
        str(get(sc(c), 'windowsOptions', 'runAsUserName')) ??
        str(get(pod.securityContext, 'windowsOptions', 'runAsUserName'));
      if (user === undefined) return undefined;
      const allowed = ctx.params.allowedWindowsUsers;
      if (user.toLowerCase() === 'containeradministrator' || (allowed.length > 0 && !allowed.includes(user)))
        return finding(
          `${c.label} runs as Windows user ${user}`,
          `${c.path}.securityContext.windowsOptions.runAsUserName`,
        );
      return undefined;
    }),
  },
  {
    id: 'K8S-POD-30',
    title: 'Interactive TTY/stdin',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Remove tty and stdin from the container; use kubectl debug for interactive work.',
    check: onContainers((c) => {
      const out: ControlFailure[] = [];
      for (const key of ['tty', 'stdin'])
        if (c.container[key] === true) out.push(finding(`${c.label} sets ${key}: true`, `${c.path}.${key}`));
      return out;
    }),
  },
  {
    id: 'K8S-POD-31',
    title: 'sudo in entrypoint',
    severity: 'MEDIUM',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Do not call sudo in the container command; run the process as the user it needs.',
    check: onContainers((c) => {
      for (const key of ['command', 'args']) {
        const words = asArray(c.container[key]).map(String);
        const i = words.findIndex((w) => /(^|[\s;&|/])sudo(\s|$)/.test(w));
        if (i >= 0) return finding(`${c.label} runs sudo`, `${c.path}.${key}[${i}]`);
      }
      return undefined;
    }),
  },
  {
    id: 'K8S-POD-32',
    title: 'SSH server in container',
    severity: 'MEDIUM',
    standards: [],
    scope: 'M*',
    version: 1,
    remediation: 'Do not run an SSH daemon in containers; use kubectl exec or debug containers.',
    check: (item, ctx) => {
      const ssh = (p: unknown) => p === 22 || p === 2222 || p === '22' || p === '2222';
      if (item.object.kind === 'Service') {
        const out: ControlFailure[] = [];
        records(get(item.object, 'spec', 'ports')).forEach((p, i) => {
          if (ssh(p.port) || ssh(p.targetPort))
            out.push(finding(`Service exposes SSH port ${String(p.port)}`, `spec.ports[${i}]`));
        });
        return out;
      }
      return onContainers((c) => {
        const i = records(c.container.ports).findIndex((p) => ssh(p.containerPort));
        return i >= 0
          ? finding(`${c.label} listens on an SSH port`, `${c.path}.ports[${i}].containerPort`)
          : undefined;
      })(item, ctx);
    },
  },
  {
    id: 'K8S-POD-33',
    title: 'Symlink host access (CVE-2021-25741)',
    severity: 'MEDIUM',
    standards: ['nsa'],
    scope: 'C',
    version: 1,
    remediation: 'Upgrade kubelets to 1.19.15, 1.20.11, 1.21.5, 1.22.2 or later, or avoid subPath mounts.',
    check: (item, ctx) => {
      const nodes = ctx.inventory.ofKind('Node');
      const pod = podSpecOf(item.object);
      if (!pod || nodes.length === 0) return null;
      const vulnerable = nodes
        .map((n) => str(get(n.object, 'status', 'nodeInfo', 'kubeletVersion')) ?? '')
        .filter(kubeletVulnerable);
      if (vulnerable.length === 0) return [];
      const out: ControlFailure[] = [];
      for (const c of pod.containers)
        records(c.container.volumeMounts).forEach((m, i) => {
          if (typeof m.subPath === 'string' || typeof m.subPathExpr === 'string')
            out.push(
              finding(
                `${c.label} uses subPath on nodes with kubelet ${vulnerable[0]}`,
                `${c.path}.volumeMounts[${i}].subPath`,
              ),
            );
        });
      return out;
    },
  },
  {
    id: 'K8S-POD-34',
    title: 'Sandboxed runtime for untrusted agents',
    severity: 'MEDIUM',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Give agent sandbox templates runtimeClassName gvisor or kata and CPU/memory limits.',
    check: onKinds(['Sandbox', 'SandboxTemplate', 'SandboxWarmPool'], (object) => {
      const spec = get(object, 'spec', 'podTemplate', 'spec') ?? get(object, 'spec', 'template', 'spec');
      const out: ControlFailure[] = [];
      const runtime = str(get(spec, 'runtimeClassName'));
      if (!runtime || !HARDENED_RUNTIMES.test(runtime))
        out.push(
          finding(
            `runtimeClassName ${runtime ?? 'not set'} is not a sandboxed runtime`,
            'spec.podTemplate.spec.runtimeClassName',
          ),
        );
      records(get(spec, 'containers')).forEach((c, i) => {
        if (
          get(c, 'resources', 'limits', 'cpu') === undefined ||
          get(c, 'resources', 'limits', 'memory') === undefined
        )
          out.push(
            finding(
              `container "${String(c.name)}" has no CPU/memory ceiling`,
              `spec.podTemplate.spec.containers[${i}].resources.limits`,
            ),
          );
      });
      return out;
    }),
  },
];

/** Effective seccomp profile of each container (container field, pod field, then legacy annotations) against an allow-list. */
function seccompAllowed(
  pod: PodSpecView,
  annotations: Record<string, string>,
  allowed: string[],
  exempt: string[],
): ControlFailure[] {
  const name = (profile: unknown): string | undefined => {
    const type = str(get(profile, 'type'));
    if (type === 'Localhost') return `localhost/${str(get(profile, 'localhostProfile')) ?? ''}`;
    return type;
  };
  const ok = (p: string) =>
    allowed.includes('*') ||
    allowed.includes(p) ||
    (p === 'RuntimeDefault' && (allowed.includes('runtime/default') || allowed.includes('docker/default'))) ||
    ((p === 'runtime/default' || p === 'docker/default') && allowed.includes('RuntimeDefault')) ||
    (p.startsWith('localhost/') &&
      (allowed.includes('Localhost') ||
        allowed.includes('localhost/*') ||
        allowed.some((a) => a.endsWith('*') && p.startsWith(a.slice(0, -1)))));
  const all = { ...annotations, ...pod.metadata.annotations };
  const podProfile =
    name(pod.securityContext.seccompProfile) ?? all['seccomp.security.alpha.kubernetes.io/pod'];
  const out: ControlFailure[] = [];
  for (const c of pod.containers) {
    if (exempt.includes(c.path)) continue;
    const profile =
      name(sc(c).seccompProfile) ??
      all[`container.seccomp.security.alpha.kubernetes.io/${c.name}`] ??
      podProfile;
    if (!profile && allowed.includes('not configured')) continue;
    if (!profile || !ok(profile))
      out.push(
        finding(
          `${c.label} seccomp profile ${profile ?? 'not set'} is not allowed`,
          `${c.path}.securityContext.seccompProfile`,
        ),
      );
  }
  return out;
}

/** Containers with none of seccomp (not Unconfined), AppArmor, SELinux options or dropped capabilities. */
function unhardened(pod: PodSpecView, exempt: string[]): ControlFailure[] {
  const out: ControlFailure[] = [];
  const podSeccomp = str(get(pod.securityContext, 'seccompProfile', 'type'));
  const podSelinux = pod.securityContext.seLinuxOptions;
  for (const c of pod.containers) {
    if (exempt.includes(c.path)) continue;
    const seccomp = str(get(sc(c), 'seccompProfile', 'type')) ?? podSeccomp;
    const selinux = sc(c).seLinuxOptions ?? podSelinux;
    const drop = asArray(get(sc(c), 'capabilities', 'drop'));
    const addAll = asArray(get(sc(c), 'capabilities', 'add')).some((a) => capabilityName(a) === 'ALL');
    const apparmor =
      pod.metadata.annotations[`container.apparmor.security.beta.kubernetes.io/${c.name}`] !== undefined ||
      ['RuntimeDefault', 'Localhost'].includes(
        String(get(sc(c), 'appArmorProfile', 'type') ?? get(pod.securityContext, 'appArmorProfile', 'type')),
      );
    const hardened =
      (seccomp !== undefined && seccomp !== '' && seccomp !== 'Unconfined') ||
      (isRecord(selinux) && Object.keys(selinux).length > 0) ||
      (drop.length > 0 && !addAll) ||
      apparmor;
    if (!hardened)
      out.push(
        finding(
          `${c.label} uses none of seccomp, AppArmor, SELinux or dropped capabilities`,
          `${c.path}.securityContext`,
        ),
      );
  }
  return out;
}
