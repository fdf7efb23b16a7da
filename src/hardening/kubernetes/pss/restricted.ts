import { get, type PodSpecView, sc } from '../objects/pod-spec.js';
import { procMount } from './baseline.js';
import type { PssCheck, PssViolation } from './types.js';

type V = PssViolation[];

const ALLOWED_VOLUME_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

function v(check: string, field: string, message: string): PssViolation {
  return { check, field, message };
}

/** From 1.25 the Linux-only restricted checks do not apply to pods with spec.os.name: windows. */
function linuxOnly(check: (pod: PodSpecView) => V) {
  return (pod: PodSpecView): V => (pod.isWindows ? [] : check(pod));
}

function restrictedVolumes(pod: PodSpecView): V {
  const out: V = [];
  pod.volumes.forEach((vol, i) => {
    if (ALLOWED_VOLUME_SOURCES.some((k) => vol[k] !== undefined && vol[k] !== null)) return;
    const type = Object.keys(vol).find((k) => k !== 'name') ?? 'unknown';
    out.push(
      v(
        'restrictedVolumes',
        `${pod.path}.volumes[${i}].${type}`,
        `volume "${String(vol.name)}" uses ${type}`,
      ),
    );
  });
  return out;
}

function allowPrivilegeEscalation(pod: PodSpecView): V {
  return pod.containers
    .filter((c) => sc(c).allowPrivilegeEscalation !== false)
    .map((c) =>
      v(
        'allowPrivilegeEscalation',
        `${c.path}.securityContext.allowPrivilegeEscalation`,
        `${c.label} does not set allowPrivilegeEscalation: false`,
      ),
    );
}

function runAsNonRoot(relaxForUserNamespaces: boolean) {
  return (pod: PodSpecView): V => {
    if (relaxForUserNamespaces && pod.hostUsersFalse) return [];
    const out: V = [];
    const podValue = pod.securityContext.runAsNonRoot;
    if (podValue === false)
      out.push(v('runAsNonRoot', `${pod.path}.securityContext.runAsNonRoot`, 'pod sets runAsNonRoot: false'));
    for (const c of pod.containers) {
      const value = sc(c).runAsNonRoot;
      if (value === false)
        out.push(
          v('runAsNonRoot', `${c.path}.securityContext.runAsNonRoot`, `${c.label} sets runAsNonRoot: false`),
        );
      else if (value === undefined || value === null) {
        if (podValue !== true)
          out.push(
            v(
              'runAsNonRoot',
              `${c.path}.securityContext.runAsNonRoot`,
              `${c.label} may run as root (runAsNonRoot not true)`,
            ),
          );
      }
    }
    return out;
  };
}

function runAsUser(relaxForUserNamespaces: boolean) {
  return (pod: PodSpecView): V => {
    if (relaxForUserNamespaces && pod.hostUsersFalse) return [];
    const out: V = [];
    if (pod.securityContext.runAsUser === 0)
      out.push(v('runAsUser', `${pod.path}.securityContext.runAsUser`, 'pod sets runAsUser: 0'));
    for (const c of pod.containers)
      if (sc(c).runAsUser === 0)
        out.push(v('runAsUser', `${c.path}.securityContext.runAsUser`, `${c.label} sets runAsUser: 0`));
    return out;
  };
}

const VALID_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);

function seccompRestricted(pod: PodSpecView): V {
  const out: V = [];
  const podProfile = get(pod.securityContext, 'seccompProfile');
  let podSet = false;
  if (podProfile !== undefined && podProfile !== null) {
    const t = get(podProfile, 'type');
    if (!VALID_SECCOMP.has(String(t)))
      out.push(
        v(
          'seccompProfile_restricted',
          `${pod.path}.securityContext.seccompProfile.type`,
          `pod seccompProfile type ${String(t)}`,
        ),
      );
    else podSet = true;
  }
  for (const c of pod.containers) {
    const profile = get(sc(c), 'seccompProfile');
    if (profile !== undefined && profile !== null) {
      const t = get(profile, 'type');
      if (!VALID_SECCOMP.has(String(t)))
        out.push(
          v(
            'seccompProfile_restricted',
            `${c.path}.securityContext.seccompProfile.type`,
            `${c.label} seccompProfile type ${String(t)}`,
          ),
        );
    } else if (!podSet)
      out.push(
        v(
          'seccompProfile_restricted',
          `${c.path}.securityContext.seccompProfile`,
          `${c.label} has no RuntimeDefault or Localhost seccomp profile`,
        ),
      );
  }
  return out;
}

function capabilitiesRestricted(pod: PodSpecView): V {
  const out: V = [];
  for (const c of pod.containers) {
    const drop = get(sc(c), 'capabilities', 'drop');
    if (!Array.isArray(drop) || !drop.includes('ALL'))
      out.push(
        v(
          'capabilities_restricted',
          `${c.path}.securityContext.capabilities.drop`,
          `${c.label} does not drop ALL capabilities`,
        ),
      );
    const add = get(sc(c), 'capabilities', 'add');
    if (Array.isArray(add)) {
      const bad = add.filter((cap) => cap !== 'NET_BIND_SERVICE');
      if (bad.length)
        out.push(
          v(
            'capabilities_restricted',
            `${c.path}.securityContext.capabilities.add`,
            `${c.label} adds ${bad.join(', ')}`,
          ),
        );
    }
  }
  return out;
}

export const RESTRICTED_CHECKS: readonly PssCheck[] = [
  { id: 'restrictedVolumes', level: 'restricted', versions: [{ since: [1, 0], check: restrictedVolumes }] },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [
      { since: [1, 8], check: allowPrivilegeEscalation },
      { since: [1, 25], check: linuxOnly(allowPrivilegeEscalation) },
    ],
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    versions: [
      { since: [1, 0], check: runAsNonRoot(false) },
      { since: [1, 35], check: runAsNonRoot(true) },
    ],
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    versions: [
      { since: [1, 23], check: runAsUser(false) },
      { since: [1, 35], check: runAsUser(true) },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    overrides: ['seccompProfile_baseline'],
    versions: [
      { since: [1, 19], check: seccompRestricted },
      { since: [1, 25], check: linuxOnly(seccompRestricted) },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { since: [1, 22], check: capabilitiesRestricted },
      { since: [1, 25], check: linuxOnly(capabilitiesRestricted) },
    ],
  },
  {
    id: 'procMount_restricted',
    level: 'restricted',
    versions: [{ since: [1, 35], check: procMount('procMount_restricted', false) }],
  },
];
