import { z } from 'zod';
import { RegexSyntaxError, userRegex } from '../../../regex/re2.js';
import { kubernetesMinor } from '../deprecated-apis.js';
import { parseQuantity } from '../quantity.js';

/** A pattern matched against object values: RE2 (as the peers' Go engines), refused at load when RE2 refuses it. */
const re2Pattern = z.string().superRefine((pattern, ctx) => {
  try {
    userRegex(pattern);
  } catch (error) {
    if (!(error instanceof RegexSyntaxError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});
const range = z.object({ min: z.number().int(), max: z.number().int() }).strict();
const labelRule = z.object({ key: z.string().min(1), allowedRegex: re2Pattern.optional() }).strict();
/** A denied label/annotation: the key, and optionally the values (RE2) that are denied; without one, any value. */
const deniedKey = z.object({ key: z.string().min(1), valueRegex: re2Pattern.optional() }).strict();
/** Lower and upper bound of one number (both optional, inclusive). */
const bounds = z.object({ min: z.number().optional(), max: z.number().optional() }).strict();
const probeTiming = z
  .object({
    initialDelaySeconds: bounds.optional(),
    periodSeconds: bounds.optional(),
    timeoutSeconds: bounds.optional(),
    successThreshold: bounds.optional(),
    failureThreshold: bounds.optional(),
    terminationGracePeriodSeconds: bounds.optional(),
  })
  .strict();
/**
 * One environment-variable rule: reject a container when `anyIn` (one of the variables is set), `anyNotIn` (it sets
 * one not listed), `allAreUsed` (all are set) or `notAllAreUsed` (not all are set). A variable with a `value`
 * matches only with that exact value.
 */
const envRule = z
  .object({
    reject: z.enum(['anyIn', 'anyNotIn', 'allAreUsed', 'notAllAreUsed']),
    variables: z.array(z.object({ name: z.string().min(1), value: z.string().optional() }).strict()).min(1),
  })
  .strict();
const seLinuxOptions = z
  .object({
    user: z.string().optional(),
    role: z.string().optional(),
    type: z.string().optional(),
    level: z.string().optional(),
  })
  .strict();
/** A Kubernetes quantity: `500m`, `1Gi`, or a plain number of base units (cores, bytes). */
const quantity = z
  .union([z.string(), z.number()])
  .refine((v) => parseQuantity(v) !== undefined, { message: 'not a Kubernetes quantity' });
/**
 * LimitRange-like bounds of one resource (K8S-RES-04). A missing limit takes `defaultLimit`, a missing request
 * `defaultRequest`, else the limit (as the API server and a LimitRange default them); then each value must lie
 * within its min/max, and a request must not exceed its limit when either came from a default.
 */
const resourceBounds = z
  .object({
    minRequest: quantity.optional(),
    maxRequest: quantity.optional(),
    minLimit: quantity.optional(),
    maxLimit: quantity.optional(),
    defaultRequest: quantity.optional(),
    defaultLimit: quantity.optional(),
  })
  .strict();

/**
 * Parameters the controls read. Every field has a default so that a scan with no policy file is meaningful;
 * list parameters that are empty by default (allowed registries, required annotations…) leave their
 * control not applicable until configured.
 */
export const parametersSchema = z
  .object({
    /** Capabilities a container may add (K8S-POD-09). Default: the PSS baseline set. */
    allowedCapabilities: z
      .array(z.string())
      .default([
        'AUDIT_WRITE',
        'CHOWN',
        'DAC_OVERRIDE',
        'FOWNER',
        'FSETID',
        'KILL',
        'MKNOD',
        'NET_BIND_SERVICE',
        'SETFCAP',
        'SETGID',
        'SETPCAP',
        'SETUID',
        'SYS_CHROOT',
      ]),
    /** Capabilities never allowed (K8S-POD-10). */
    disallowedCapabilities: z
      .array(z.string())
      .default(['SYS_ADMIN', 'NET_ADMIN', 'ALL', 'SYS_MODULE', 'SYS_PTRACE', 'BPF', 'DAC_READ_SEARCH']),
    /** Capabilities every container must drop (K8S-POD-11). */
    requiredDropCapabilities: z.array(z.string()).default(['ALL']),
    /** hostPath prefixes that are allowed (K8S-POD-06/07); empty = no hostPath allowed. */
    allowedHostPaths: z
      .array(z.object({ pathPrefix: z.string(), readOnly: z.boolean().optional() }).strict())
      .default([]),
    /** Whether hostNetwork is allowed (K8S-POD-04). */
    allowHostNetwork: z.boolean().default(false),
    /** Allowed hostPort range (K8S-POD-05); unset = any non-zero hostPort fails. */
    hostPortRange: range.optional(),
    /** Volume types allowed (K8S-POD-25). Default: the PSS restricted list. */
    allowedVolumeTypes: z
      .array(z.string())
      .default([
        'configMap',
        'csi',
        'downwardAPI',
        'emptyDir',
        'ephemeral',
        'image',
        'persistentVolumeClaim',
        'projected',
        'secret',
      ]),
    /** FlexVolume drivers allowed (K8S-POD-26). */
    allowedFlexVolumeDrivers: z.array(z.string()).default([]),
    /** Sysctls that are forbidden even when safe (K8S-POD-22); `*` globs allowed. */
    forbiddenSysctls: z.array(z.string()).default([]),
    /** Lowest UID/GID accepted (K8S-POD-16). */
    minUserId: z.number().int().default(10000),
    /** UID ranges accepted for runAsUser (K8S-POD-16); empty = only minUserId applies. */
    runAsUserRanges: z.array(range).default([]),
    /** Windows user names allowed (K8S-POD-29); ContainerAdministrator is always refused. */
    allowedWindowsUsers: z.array(z.string()).default([]),
    /**
     * Image prefixes allowed (K8S-IMG-01); empty = not configured. An entry with `*` is a glob over the registry
     * host of the normalised reference (`*.example.com`; Docker Hub images are on `docker.io`).
     */
    allowedRegistries: z.array(z.string()).default([]),
    /** Image prefixes forbidden (K8S-IMG-02); entries with `*` as in allowedRegistries. */
    disallowedRegistries: z.array(z.string()).default([]),
    /**
     * Images allowed (K8S-IMG-01), matched on the normalised reference (`nginx` = `docker.io/library/nginx`): an
     * entry without `*` names one repository (every tag) or, with a tag or digest, one image; with `*` it is a glob
     * (`docker.io/library/*`); empty = not configured.
     */
    allowedImages: z.array(z.string()).default([]),
    /** Images forbidden (K8S-IMG-02), entries as in allowedImages. */
    deniedImages: z.array(z.string()).default([]),
    /** Repositories exempt from digest pinning (K8S-IMG-04), as written: `internal` covers `internal/app`. */
    digestExemptRepositories: z.array(z.string()).default([]),
    /** Tags that count as mutable (K8S-IMG-03; K8S-IMG-05 wants imagePullPolicy Always for them). */
    disallowedTags: z.array(z.string()).default(['latest']),
    /** Pull policies allowed (K8S-IMG-05); empty = only the Always-with-latest rule. */
    allowedPullPolicies: z.array(z.string()).default([]),
    /** K8S-IMG-05 applies Kubernetes' defaulting to an unset imagePullPolicy (Always for :latest, else IfNotPresent). */
    pullPolicyDefaulting: z.boolean().default(true),
    /** Images with findings above the threshold, from image scans (K8S-IMG-09). */
    vulnerableImages: z.array(z.string()).default([]),
    /** Maximum limits/requests (K8S-RES-04), as quantities. */
    maxCpu: z.string().optional(),
    maxMemory: z.string().optional(),
    /** Per-resource min/max/default of requests and limits (K8S-RES-04); see resourceBounds above. */
    resourceBounds: z
      .object({ cpu: resourceBounds.optional(), memory: resourceBounds.optional() })
      .strict()
      .default({}),
    /** Largest limit/request ratio (K8S-RES-05). */
    maxLimitRequestRatio: z.number().optional(),
    /** Largest CPU limit/request ratio, when it differs from maxLimitRequestRatio (K8S-RES-05). */
    maxCpuLimitRequestRatio: z.number().optional(),
    /** Require requests to equal limits (K8S-RES-05/06). */
    requireRequestsEqualLimits: z.boolean().default(false),
    /** Largest ephemeral-storage limit (K8S-RES-06). */
    maxEphemeralStorage: z.string().optional(),
    /** Replica ranges allowed (K8S-RES-08); empty = not configured. */
    replicaRanges: z.array(range).default([]),
    /** Labels required on every object (K8S-NS-03). */
    requiredLabels: z.array(labelRule).default([]),
    /** Annotations required on every object (K8S-NS-04). */
    requiredAnnotations: z.array(labelRule).default([]),
    /** Label prefixes reserved for the platform (K8S-NS-05). */
    reservedLabelPrefixes: z.array(z.string()).default(['kubernetes.azure.com/']),
    /** Kinds whose creation is blocked (K8S-NS-06). */
    restrictedKinds: z.array(z.string()).default([]),
    /** Kubernetes version the manifests target (K8S-NS-08). */
    targetKubernetesVersion: z
      .string()
      .refine((v) => kubernetesMinor(v) !== undefined, 'a Kubernetes 1.x version, e.g. 1.29 or v1.29.3')
      .default('1.37'),
    /** K8S-NS-08 reports only APIs the target version no longer serves, not those merely deprecated. */
    deprecatedApisRemovedOnly: z.boolean().default(false),
    /** Storage classes allowed (K8S-NS-09); empty = any class, but one must be named. */
    allowedStorageClasses: z.array(z.string()).default([]),
    /** Storage classes a claim may not name (K8S-NS-09), whatever allowedStorageClasses says. */
    deniedStorageClasses: z.array(z.string()).default([]),
    /** Service ports allowed (K8S-NET-11); empty = not configured. */
    allowedServicePorts: z.array(z.number().int()).default([]),
    /** External IPs allowed (K8S-NET-10). */
    allowedExternalIPs: z.array(z.string()).default([]),
    /** Probes required on every container (K8S-REL-01/02). */
    requiredProbes: z.array(z.string()).default(['readinessProbe', 'livenessProbe']),
    /** K8S-REL-01/02 only require probes on pods a Service selects. */
    probesOnlyWhenServiced: z.boolean().default(false),
    /** K8S-REL-08 requires anti-affinity or spread constraints (invalid spread constraints always fail). */
    requireSpread: z.boolean().default(true),
    /** Minimum Deployment replicas (K8S-REL-05). */
    minReplicas: z.number().int().default(2),
    /** Lowest HPA maxReplicas-minReplicas spread (K8S-REL-09). */
    minHpaSpread: z.number().int().default(1),
    /** Oldest Kubernetes minor still supported (K8S-CL-08). */
    minSupportedVersion: z.string().default('1.32'),
    /** Users allowed to edit Node objects (K8S-RBAC-20); `system:node:*` is always allowed. */
    allowedNodeEditors: z.array(z.string()).default(['system:serviceaccount:kube-system:node-controller']),
    /** Containers whose image matches one of these (`*` suffix = prefix) are not checked by container controls. */
    exemptImages: z.array(z.string()).default([]),
    /** K8S-POD-11 also refuses added capabilities other than NET_BIND_SERVICE (PSS restricted). */
    restrictAddToNetBindService: z.boolean().default(true),
    /** Sysctls allowed beside the safe set of the PSS version (K8S-POD-22, when allowedSysctls is unset); globs. */
    allowedUnsafeSysctls: z.array(z.string()).default([]),
    /** Sysctls allowed (K8S-POD-22); unset = the safe set of the PSS version, `*` = any not forbidden. */
    allowedSysctls: z.array(z.string()).optional(),
    /** K8S-POD-16 checks runAsUser/runAsGroup against minUserId. */
    checkUserGroupIds: z.boolean().default(true),
    /** fsGroup rule (K8S-POD-16): MustRunAs requires fsGroup in fsGroupRanges, MayRunAs checks it when set. */
    fsGroupRule: z.enum(['MustRunAs', 'MayRunAs', 'RunAsAny']).default('RunAsAny'),
    fsGroupRanges: z.array(range).default([]),
    /** PSP-style user and group rules (K8S-POD-16): MustRunAs needs a value in the ranges, MayRunAs checks a set value. */
    runAsUserRule: z.enum(['MustRunAs', 'MustRunAsNonRoot', 'RunAsAny']).default('RunAsAny'),
    runAsGroupRule: z.enum(['MustRunAs', 'MayRunAs', 'RunAsAny']).default('RunAsAny'),
    runAsGroupRanges: z.array(range).default([]),
    supplementalGroupsRule: z.enum(['MustRunAs', 'MayRunAs', 'RunAsAny']).default('RunAsAny'),
    supplementalGroupsRanges: z.array(range).default([]),
    /** procMount allowed (K8S-POD-21): Default, or Unmasked to allow any. */
    allowedProcMount: z.enum(['Default', 'Unmasked']).default('Default'),
    /** Seccomp profiles allowed (K8S-POD-18), e.g. runtime/default, RuntimeDefault, Localhost, localhost/*; unset = PSS. */
    allowedSeccompProfiles: z.array(z.string()).optional(),
    /** AppArmor profiles a set profile must match (K8S-POD-19), e.g. runtime/default, localhost/*; unset = PSS only. */
    allowedAppArmorProfiles: z.array(z.string()).optional(),
    /** K8S-POD-18 accepts any Linux hardening per container: seccomp, AppArmor, SELinux options or dropped capabilities. */
    acceptAnyLinuxHardening: z.boolean().default(false),
    /** K8S-NS-03 also checks label value syntax. */
    validateLabelValues: z.boolean().default(true),
    /** K8S-NET-05 accepts wildcard hosts (only empty hosts fail). */
    allowWildcardIngressHost: z.boolean().default(false),
    /** K8S-NET-04 requires the annotation kubernetes.io/ingress.allow-http: "false". */
    ingressRequireAllowHttpFalse: z.boolean().default(true),
    /** K8S-NET-04 accepts an Ingress without spec.tls when the allow-http annotation is "false". */
    ingressTlsOptional: z.boolean().default(false),
    /** Roles system:anonymous/unauthenticated may hold (K8S-RBAC-15), and whether system:authenticated counts. */
    anonymousAllowedRoles: z
      .array(z.string())
      .default(['system:discovery', 'system:basic-user', 'system:public-info-viewer']),
    disallowAuthenticated: z.boolean().default(true),
    /** Users and groups that may change a workload's ServiceAccount (K8S-SA-05). */
    serviceAccountUpdaters: z.array(z.string()).default([]),
    /** Which limits/requests K8S-RES-01/02/03 require. */
    requiredLimits: z.array(z.enum(['cpu', 'memory'])).default(['cpu', 'memory']),
    requiredRequests: z.array(z.enum(['cpu', 'memory'])).default(['cpu', 'memory']),
    /** Deprecated apiVersion → kinds list replacing the built-in table (K8S-NS-08). */
    deprecatedApis: z
      .array(
        z
          .object({
            apiVersion: z.string(),
            kinds: z.array(z.string()),
            targetApiVersion: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    /** K8S-NS-09 requires the named StorageClass to exist in the inventory. */
    requireStorageClassExists: z.boolean().default(false),
    /** HPA replica ranges (K8S-REL-09); empty = not configured. */
    hpaReplicaRanges: z.array(range).default([]),
    /** Lowest HPA minReplicas (K8S-REL-09). */
    hpaMinReplicas: z.number().int().default(2),
    /** K8S-REL-06 skips workloads with fewer replicas than this (and no HPA). */
    pdbMinReplicas: z.number().int().default(2),
    /** K8S-REL-07 fails a PodDisruptionBudget that sets neither minAvailable nor maxUnavailable. */
    pdbRequirePolicy: z.boolean().default(true),
    /** K8S-REL-07 compares minAvailable only with an HPA's minReplicas (and only when above it). */
    pdbAgainstHpaOnly: z.boolean().default(false),
    /** K8S-REL-09 requires the HPA target to exist in the inventory. */
    hpaRequireTarget: z.boolean().default(true),
    /**
     * The input is an export of the cluster's own objects: a ClusterRole named like a bootstrap role (cluster-admin,
     * admin, edit, view) is that role as the cluster holds it, and its rules replace the modelled ones (RBAC rows).
     */
    inputIsClusterState: z.boolean().default(false),
    /** Extra key-name substrings and value patterns that count as credentials (K8S-SA-06), and allow-lists. */
    sensitiveKeyNames: z.array(z.string()).default([]),
    sensitiveValues: z.array(re2Pattern).default([]),
    sensitiveKeyNamesAllowed: z.array(z.string()).default([]),
    sensitiveValuesAllowed: z.array(z.string()).default([]),
    /** Volume types K8S-SA-09 reports when a container mounts them. */
    sensitiveVolumeTypes: z
      .array(z.enum(['secret', 'configMap', 'persistentVolumeClaim']))
      .default(['secret', 'configMap', 'persistentVolumeClaim']),
    /** K8S-SA-09 reports only volumes whose Secret/ConfigMap/PVC exists in the inventory. */
    requireReferencedObject: z.boolean().default(false),
    /** Labels of which at least one must be present (K8S-NS-03); empty = not configured. */
    anyOfLabels: z.array(z.string()).default([]),
    /** K8S-SA-04 reports a missing ServiceAccount even when the bundle holds no ServiceAccount of that namespace. */
    requireServiceAccountInBundle: z.boolean().default(false),
    /** NetworkPolicy types a workload must be covered by (K8S-NET-01); empty = any policy selecting it. */
    requiredPolicyTypes: z.array(z.enum(['Ingress', 'Egress'])).default(['Ingress', 'Egress']),
    /**
     * Images allowed as written (K8S-IMG-01): an entry ending in `*` is a prefix of the image string, any other
     * entry must equal it (Gatekeeper's K8sAllowedReposv2); empty = not configured.
     */
    allowedImagesExact: z.array(z.string()).default([]),
    /**
     * The AppArmor profile a container that sets none counts as (K8S-POD-19), e.g. `runtime/default`. When set,
     * allowedAppArmorProfiles alone decides (an allow-list, not the PSS rule).
     */
    appArmorDefaultProfile: z.string().optional(),
    /**
     * SELinux options allowed on the pod and its containers (K8S-POD-20): a set seLinuxOptions passes when one
     * entry equals it on every field the options set. When set, this list replaces the PSS rule; empty = none.
     */
    allowedSELinuxOptions: z.array(seLinuxOptions).optional(),
    /** Probe handlers that count (K8S-REL-01/02): a probe with none of them is missing; empty = any handler. */
    probeTypes: z.array(z.string()).default([]),
    /** `all`: every probe of requiredProbes is needed (K8S-REL-01/02); `any`: one of them is enough. */
    probeMode: z.enum(['all', 'any']).default('all'),
    /** Bounds on the timing fields of readiness (K8S-REL-01), liveness (K8S-REL-02) and startup probes. */
    probeTimingBounds: probeTiming.optional(),
    /** Labels that must not be set (K8S-NS-03), or not with a matching value. */
    deniedLabels: z.array(deniedKey).default([]),
    /** The only label keys that may be set (K8S-NS-03); unset = any. */
    allowedLabelKeys: z.array(z.string()).optional(),
    /** Values a label must match when it is set (K8S-NS-03). */
    labelValuePatterns: z.array(labelRule.required({ allowedRegex: true })).default([]),
    /** Annotations that must not be set (K8S-NS-04), or not with a matching value. */
    deniedAnnotations: z.array(deniedKey).default([]),
    /** The only annotation keys that may be set (K8S-NS-04); unset = any. */
    allowedAnnotationKeys: z.array(z.string()).optional(),
    /** Values an annotation must match when it is set (K8S-NS-04). */
    annotationValuePatterns: z.array(labelRule.required({ allowedRegex: true })).default([]),
    /** Environment-variable rules (K8S-SA-10), each judged on every container. */
    envRules: z.array(envRule).default([]),
    /** Runtime classes a pod must name (K8S-POD-34): sandboxes such as gvisor or kata; empty = not configured. */
    allowedRuntimeClasses: z.array(z.string()).default([]),
    /** Runtime classes a pod may not name (K8S-POD-34). */
    reservedRuntimeClasses: z.array(z.string()).default([]),
    /** A pod without runtimeClassName (the node's default runtime) is refused (K8S-POD-34). */
    defaultRuntimeReserved: z.boolean().default(false),
    /** Lowest Pod Security level a namespace's enforce label may set (K8S-CL-01); unset = any label. */
    minimumPsaLevel: z.enum(['privileged', 'baseline', 'restricted']).optional(),
    /** Service ports an Ingress backend may use (K8S-NET-11); empty = not configured. */
    ingressAllowedPorts: z.array(z.number().int()).default([]),
    /** Service ports an Ingress backend may not use (K8S-NET-11). */
    ingressDeniedPorts: z.array(z.number().int()).default([]),
    /** PriorityClasses a pod may name (K8S-REL-14); with this or the denied list, an unset class passes. */
    allowedPriorityClasses: z.array(z.string()).default([]),
    /** PriorityClasses a pod may not name (K8S-REL-14). */
    deniedPriorityClasses: z.array(z.string()).default([]),
    /** K8S-POD-13 refuses only an explicit allowPrivilegeEscalation: true (an unset field passes, as in PSP). */
    privilegeEscalationExplicitOnly: z.boolean().default(false),
    /** K8S-POD-02 also refuses shareProcessNamespace: true (containers of the pod see each other's processes). */
    denyShareProcessNamespace: z.boolean().default(false),
    /** K8S-POD-25 judges only volumes that a regular or ephemeral container mounts (init-only volumes pass). */
    volumeTypesSkipInitOnly: z.boolean().default(false),
    /**
     * Container lists a control judges, by control id (`{ K8S-POD-01: [containers] }`): failures on other lists
     * are dropped. Unlisted controls judge every container.
     */
    containerScope: z
      .record(z.string(), z.array(z.enum(['containers', 'initContainers', 'ephemeralContainers'])))
      .default({}),
    /** Namespaces no control looks at. */
    excludedNamespaces: z.array(z.string()).default([]),
  })
  .strict();

export type Parameters = z.infer<typeof parametersSchema>;

export const DEFAULT_PARAMETERS: Parameters = parametersSchema.parse({});
