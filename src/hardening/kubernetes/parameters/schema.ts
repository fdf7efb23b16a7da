import { z } from 'zod';
import { RegexSyntaxError, userRegex } from '../../../regex/re2.js';
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
    targetKubernetesVersion: z.string().default('1.37'),
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
    /** Namespaces no control looks at. */
    excludedNamespaces: z.array(z.string()).default([]),
  })
  .strict();

export type Parameters = z.infer<typeof parametersSchema>;

export const DEFAULT_PARAMETERS: Parameters = parametersSchema.parse({});
