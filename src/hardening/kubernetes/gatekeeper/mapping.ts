import type { Json } from '../objects/types.js';
import type { Parameters } from '../parameters/schema.js';

/** How a gatekeeper-library constraint kind is evaluated natively: which rows, with which parameters. */
export interface ConstraintMapping {
  controls: readonly string[];
  /**
   * The template's parameter keys this mapping translates (some only change the peer's message wording:
   * `message`, `includeStorageClassesInMessage`, `k8sVersion`). A constraint with any other key is refused.
   */
  parameters: readonly string[];
  /** Constraint parameters → Bulkhead parameters. */
  params(p: Json): Partial<Parameters>;
  /** pod-security-policy templates ignore UPDATE requests. */
  skipUpdate?: boolean;
  /** The object kinds the template judges, when its rows judge more (K8S-NET-04 also judges LoadBalancer Services). */
  kinds?: readonly string[];
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const exempt = (p: Json): Partial<Parameters> => ({ exemptImages: list(p.exemptImages) });
const quantity = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const psp = (
  controls: string[],
  parameters: string[] = [],
  params: (p: Json) => Partial<Parameters> = exempt,
): ConstraintMapping => ({
  controls,
  parameters: ['exemptImages', ...parameters],
  params: (p) => ({ ...exempt(p), ...params(p) }),
  skipUpdate: true,
});

/** Constraint kinds of the gatekeeper-library that Bulkhead implements natively. Others are reported (notImplemented), never passed silently. */
export const GATEKEEPER_KINDS: Readonly<Record<string, ConstraintMapping>> = {
  K8sAllowedRepos: {
    parameters: ['repos'],
    controls: ['K8S-IMG-01'],
    params: (p) => ({ allowedRegistries: list(p.repos).length ? list(p.repos) : ['\u0000'] }),
  },
  K8sAllowedReposv2: {
    parameters: ['allowedImages'],
    controls: ['K8S-IMG-01'],
    // an empty list allows no image: the template finds no match for any image
    params: (p) => ({
      allowedImagesExact: list(p.allowedImages).length ? list(p.allowedImages) : ['\u0000'],
    }),
  },
  K8sBlockEndpointEditDefaultRole: { parameters: [], controls: ['K8S-RBAC-16'], params: () => ({}) },
  K8sBlockLoadBalancer: { parameters: [], controls: ['K8S-NET-08'], params: () => ({}) },
  K8sBlockNodePort: { parameters: [], controls: ['K8S-NET-09'], params: () => ({}) },
  K8sBlockWildcardIngress: { parameters: [], controls: ['K8S-NET-05'], params: () => ({}) },
  K8sContainerEphemeralStorageLimit: {
    parameters: ['exemptImages', 'ephemeral-storage'],
    controls: ['K8S-RES-06'],
    skipUpdate: true,
    params: (p) => ({
      ...exempt(p),
      ...(quantity(p['ephemeral-storage']) ? { maxEphemeralStorage: quantity(p['ephemeral-storage'])! } : {}),
    }),
  },
  K8sContainerLimits: {
    parameters: ['exemptImages', 'cpu', 'memory'],
    controls: ['K8S-RES-01', 'K8S-RES-02', 'K8S-RES-04'],
    params: (p) => ({
      ...exempt(p),
      ...(quantity(p.cpu) ? { maxCpu: quantity(p.cpu)! } : {}),
      ...(quantity(p.memory) ? { maxMemory: quantity(p.memory)! } : {}),
    }),
  },
  K8sContainerRequests: {
    parameters: ['exemptImages', 'cpu', 'memory'],
    controls: ['K8S-RES-03', 'K8S-RES-04'],
    params: (p) => ({
      ...exempt(p),
      ...(quantity(p.cpu) ? { maxCpu: quantity(p.cpu)! } : {}),
      ...(quantity(p.memory) ? { maxMemory: quantity(p.memory)! } : {}),
    }),
  },
  K8sContainerRatios: {
    parameters: ['exemptImages', 'ratio', 'cpuRatio'],
    controls: ['K8S-RES-05'],
    params: (p) => ({
      ...exempt(p),
      maxLimitRequestRatio: Number(p.ratio ?? 1),
      ...(p.cpuRatio !== undefined ? { maxCpuLimitRequestRatio: Number(p.cpuRatio) } : {}),
    }),
  },
  K8sDisallowAnonymous: {
    parameters: ['allowedRoles', 'disallowAuthenticated'],
    controls: ['K8S-RBAC-15'],
    params: (p) => ({
      anonymousAllowedRoles: list(p.allowedRoles),
      disallowAuthenticated: p.disallowAuthenticated === true,
    }),
  },
  K8sDisallowedRepos: {
    parameters: ['repos'],
    controls: ['K8S-IMG-02'],
    params: (p) => ({ disallowedRegistries: list(p.repos) }),
  },
  K8sDisallowedTags: {
    parameters: ['exemptImages', 'tags'],
    controls: ['K8S-IMG-03'],
    params: (p) => ({ ...exempt(p), disallowedTags: list(p.tags) }),
  },
  K8sDisallowInteractiveTTY: { parameters: ['exemptImages'], controls: ['K8S-POD-30'], params: exempt },
  K8sExternalIPs: {
    parameters: ['allowedIPs'],
    controls: ['K8S-NET-10'],
    params: (p) => ({ allowedExternalIPs: list(p.allowedIPs) }),
  },
  K8sHttpsOnly: {
    parameters: ['tlsOptional'],
    controls: ['K8S-NET-04'],
    kinds: ['Ingress'],
    params: (p) => ({ ingressTlsOptional: p.tlsOptional === true }),
  },
  K8sImageDigests: { parameters: ['exemptImages'], controls: ['K8S-IMG-04'], params: exempt },
  K8sBlockAutomountToken: { parameters: [], controls: ['K8S-SA-01'], params: () => ({}) },
  K8sPSPAutomountServiceAccountTokenPod: {
    parameters: [],
    controls: ['K8S-SA-01'],
    params: () => ({}),
    skipUpdate: true,
  },
  K8sReplicaLimits: {
    parameters: ['ranges'],
    controls: ['K8S-RES-08'],
    params: (p) => ({
      replicaRanges: (Array.isArray(p.ranges) ? p.ranges : []).map((r) => ({
        min: Number((r as Json).min_replicas ?? 0),
        max: Number((r as Json).max_replicas ?? Number.MAX_SAFE_INTEGER),
      })),
    }),
  },
  K8sRequiredAnnotations: {
    parameters: ['message', 'annotations'],
    controls: ['K8S-NS-04'],
    params: (p) => ({
      requiredAnnotations: (Array.isArray(p.annotations) ? p.annotations : []).map((a) => ({
        key: String((a as Json).key),
        ...((a as Json).allowedRegex ? { allowedRegex: String((a as Json).allowedRegex) } : {}),
      })),
    }),
  },
  K8sRequiredLabels: {
    parameters: ['message', 'labels'],
    controls: ['K8S-NS-03'],
    params: (p) => ({
      validateLabelValues: false,
      requiredLabels: (Array.isArray(p.labels) ? p.labels : []).map((a) => ({
        key: String((a as Json).key),
        ...((a as Json).allowedRegex ? { allowedRegex: String((a as Json).allowedRegex) } : {}),
      })),
    }),
  },
  K8sRequiredProbes: {
    parameters: ['probes', 'probeTypes', 'onlyServices', 'customViolationMessage'],
    controls: ['K8S-REL-01', 'K8S-REL-02'],
    params: (p) => ({
      requiredProbes: list(p.probes),
      probeTypes: list(p.probeTypes),
      probesOnlyWhenServiced: p.onlyServices === true,
    }),
  },
  K8sRequiredResources: {
    parameters: ['exemptImages', 'limits', 'requests'],
    controls: ['K8S-RES-01', 'K8S-RES-02', 'K8S-RES-03'],
    params: (p) => ({
      ...exempt(p),
      requiredLimits: list(p.limits) as ('cpu' | 'memory')[],
      requiredRequests: list(p.requests) as ('cpu' | 'memory')[],
    }),
  },
  K8sPodDisruptionBudget: { parameters: [], controls: ['K8S-REL-07'], params: () => ({}) },
  K8sStorageClass: {
    parameters: ['includeStorageClassesInMessage', 'allowedStorageClasses'],
    controls: ['K8S-NS-09'],
    params: (p) => ({
      requireStorageClassExists: true,
      allowedStorageClasses: list(p.allowedStorageClasses),
    }),
  },
  VerifyDeprecatedAPI: {
    parameters: ['kvs', 'k8sVersion'],
    controls: ['K8S-NS-08'],
    params: (p) => ({
      deprecatedApis: (Array.isArray(p.kvs) ? p.kvs : []).map((kv) => ({
        apiVersion: String((kv as Json).deprecatedAPI),
        kinds: list((kv as Json).kinds),
        ...((kv as Json).targetAPI ? { targetApiVersion: String((kv as Json).targetAPI) } : {}),
      })),
    }),
  },
  K8sHorizontalPodAutoscaler: {
    parameters: ['enforceScaleTargetRef', 'minimumReplicaSpread', 'ranges'],
    controls: ['K8S-REL-09'],
    params: (p) => ({
      hpaMinReplicas: 0,
      hpaRequireTarget: p.enforceScaleTargetRef === true,
      minHpaSpread: Number(p.minimumReplicaSpread ?? 0),
      hpaReplicaRanges: (Array.isArray(p.ranges) ? p.ranges : []).map((r) => ({
        min: Number((r as Json).min_replicas ?? 0),
        max: Number((r as Json).max_replicas ?? Number.MAX_SAFE_INTEGER),
      })),
    }),
  },
  K8sUniqueIngressHost: { parameters: [], controls: ['K8S-NET-06'], params: () => ({}) },
  K8sUniqueServiceSelector: { parameters: [], controls: ['K8S-NET-12'], params: () => ({}) },
  NoUpdateServiceAccount: {
    parameters: ['allowedGroups', 'allowedUsers'],
    controls: ['K8S-SA-05'],
    params: (p) => ({ serviceAccountUpdaters: [...list(p.allowedUsers), ...list(p.allowedGroups)] }),
  },
  K8sPSPAllowPrivilegeEscalationContainer: psp(['K8S-POD-13']),
  K8sPSPAppArmor: psp(['K8S-POD-19'], ['allowedProfiles'], (p) => ({
    allowedAppArmorProfiles: list(p.allowedProfiles),
    // a container without a profile runs the runtime's default, and the template compares that name
    appArmorDefaultProfile: 'runtime/default',
  })),
  K8sPSPCapabilities: psp(
    ['K8S-POD-09', 'K8S-POD-11'],
    ['allowedCapabilities', 'requiredDropCapabilities'],
    (p) => ({
      allowedCapabilities: list(p.allowedCapabilities),
      requiredDropCapabilities: list(p.requiredDropCapabilities),
      restrictAddToNetBindService: false,
    }),
  ),
  K8sPSPFlexVolumes: psp(['K8S-POD-26'], ['allowedFlexVolumes'], (p) => ({
    allowedFlexVolumeDrivers: (Array.isArray(p.allowedFlexVolumes) ? p.allowedFlexVolumes : []).map((d) =>
      String((d as Json).driver),
    ),
  })),
  K8sPSPForbiddenSysctls: psp(['K8S-POD-22'], ['allowedSysctls', 'forbiddenSysctls'], (p) => ({
    forbiddenSysctls: list(p.forbiddenSysctls),
    allowedSysctls: p.allowedSysctls === undefined ? ['*'] : list(p.allowedSysctls),
  })),
  K8sPSPFSGroup: psp(['K8S-POD-16'], ['rule', 'ranges'], (p) => ({
    checkUserGroupIds: false,
    fsGroupRule: (['MustRunAs', 'MayRunAs'].includes(String(p.rule))
      ? p.rule
      : 'RunAsAny') as Parameters['fsGroupRule'],
    fsGroupRanges: (Array.isArray(p.ranges) ? p.ranges : []).map((r) => ({
      min: Number((r as Json).min),
      max: Number((r as Json).max),
    })),
  })),
  K8sPSPHostFilesystem: psp(['K8S-POD-06', 'K8S-POD-07'], ['allowedHostPaths'], (p) => ({
    allowedHostPaths: (Array.isArray(p.allowedHostPaths) ? p.allowedHostPaths : []).map((h) => ({
      pathPrefix: String((h as Json).pathPrefix),
      ...((h as Json).readOnly === true ? { readOnly: true } : {}),
    })),
  })),
  K8sPSPHostNamespace: psp(['K8S-POD-02', 'K8S-POD-03']),
  K8sPSPAllowedUsers: psp(
    ['K8S-POD-16'],
    ['runAsUser', 'runAsGroup', 'supplementalGroups', 'fsGroup'],
    (p) => {
      const rule = (k: string) => String(((p[k] ?? {}) as Json).rule ?? 'RunAsAny');
      const ranges = (k: string) =>
        (Array.isArray(((p[k] ?? {}) as Json).ranges) ? (((p[k] ?? {}) as Json).ranges as Json[]) : []).map(
          (r) => ({ min: Number(r.min), max: Number(r.max) }),
        );
      return {
        checkUserGroupIds: false,
        runAsUserRule: rule('runAsUser') as Parameters['runAsUserRule'],
        runAsUserRanges: ranges('runAsUser'),
        runAsGroupRule: rule('runAsGroup') as Parameters['runAsGroupRule'],
        runAsGroupRanges: ranges('runAsGroup'),
        supplementalGroupsRule: rule('supplementalGroups') as Parameters['supplementalGroupsRule'],
        supplementalGroupsRanges: ranges('supplementalGroups'),
        fsGroupRule: rule('fsGroup') as Parameters['fsGroupRule'],
        fsGroupRanges: ranges('fsGroup'),
      };
    },
  ),
  K8sPSPHostNetworkingPorts: psp(['K8S-POD-04', 'K8S-POD-05'], ['hostNetwork', 'min', 'max'], (p) => ({
    allowHostNetwork: p.hostNetwork === true,
    hostPortRange: {
      min: p.min === undefined ? 0 : Number(p.min),
      max: p.max === undefined ? 65535 : Number(p.max),
    },
  })),
  K8sPSPHostProbesLifecycle: psp(['K8S-POD-24']),
  K8sPSPHostProcess: psp(['K8S-POD-23']),
  K8sPSPPrivilegedContainer: psp(['K8S-POD-01']),
  K8sPSPProcMount: psp(['K8S-POD-21'], ['procMount'], (p) => ({
    allowedProcMount: p.procMount === 'Unmasked' ? 'Unmasked' : 'Default',
  })),
  K8sPSPReadOnlyRootFilesystem: psp(['K8S-POD-27']),
  K8sPSPSeccompV2: psp(['K8S-POD-18'], ['allowedProfiles', 'allowedLocalhostFiles'], (p) => ({
    allowedSeccompProfiles: [
      ...list(p.allowedProfiles),
      ...list(p.allowedLocalhostFiles).map((f) => (f === '*' ? 'localhost/*' : `localhost/${f}`)),
    ],
  })),
  K8sPSPSeccomp: psp(['K8S-POD-18'], ['allowedProfiles', 'allowedLocalhostFiles'], (p) => ({
    allowedSeccompProfiles: [
      ...list(p.allowedProfiles),
      ...list(p.allowedLocalhostFiles).map((f) => (f === '*' ? 'localhost/*' : `localhost/${f}`)),
    ],
  })),
  K8sPSPSELinuxV2: psp(['K8S-POD-20'], ['allowedSELinuxOptions'], (p) => ({
    allowedSELinuxOptions: (Array.isArray(p.allowedSELinuxOptions) ? p.allowedSELinuxOptions : []).map((o) =>
      Object.fromEntries(
        ['user', 'role', 'type', 'level'].flatMap((k) =>
          (o as Json)[k] === undefined ? [] : [[k, String((o as Json)[k])]],
        ),
      ),
    ),
  })),
  K8sPSPVolumeTypes: psp(['K8S-POD-25'], ['volumes'], (p) => ({ allowedVolumeTypes: list(p.volumes) })),
};
