/** One served API of a kind that Kubernetes deprecated and then stopped serving. */
export interface DeprecatedApi {
  apiVersion: string;
  /** The kind, or `*` for every kind of that apiVersion without an entry of its own. */
  kind: string;
  /** Minor version of Kubernetes 1.x from which it is deprecated, and from which it is no longer served. */
  deprecated: number;
  removed: number;
  /** apiVersion to move to, when there is one. */
  replacement?: string;
}

const api = (
  apiVersion: string,
  kind: string,
  deprecated: number,
  removed: number,
  replacement?: string,
): DeprecatedApi => ({ apiVersion, kind, deprecated, removed, ...(replacement ? { replacement } : {}) });

/**
 * Deprecations and removals per group/version/kind (Kubernetes deprecated API migration guide). A kind's own entry
 * wins over its apiVersion's `*` entry: extensions/v1beta1 Deployments went in 1.16, its Ingresses in 1.22, and
 * admissionregistration.k8s.io/v1beta1 serves ValidatingAdmissionPolicy again while its webhooks are gone.
 */
export const DEPRECATED_APIS: readonly DeprecatedApi[] = [
  api('extensions/v1beta1', 'Deployment', 9, 16, 'apps/v1'),
  api('extensions/v1beta1', 'DaemonSet', 9, 16, 'apps/v1'),
  api('extensions/v1beta1', 'ReplicaSet', 9, 16, 'apps/v1'),
  api('extensions/v1beta1', 'NetworkPolicy', 9, 16, 'networking.k8s.io/v1'),
  api('extensions/v1beta1', 'PodSecurityPolicy', 10, 16, 'policy/v1beta1'),
  api('extensions/v1beta1', 'Ingress', 14, 22, 'networking.k8s.io/v1'),
  api('extensions/v1beta1', '*', 9, 22),
  api('apps/v1beta1', '*', 9, 16, 'apps/v1'),
  api('apps/v1beta2', '*', 9, 16, 'apps/v1'),
  api('networking.k8s.io/v1beta1', '*', 19, 22, 'networking.k8s.io/v1'),
  api('rbac.authorization.k8s.io/v1beta1', '*', 17, 22, 'rbac.authorization.k8s.io/v1'),
  api('rbac.authorization.k8s.io/v1alpha1', '*', 17, 22, 'rbac.authorization.k8s.io/v1'),
  api(
    'admissionregistration.k8s.io/v1beta1',
    'MutatingWebhookConfiguration',
    16,
    22,
    'admissionregistration.k8s.io/v1',
  ),
  api(
    'admissionregistration.k8s.io/v1beta1',
    'ValidatingWebhookConfiguration',
    16,
    22,
    'admissionregistration.k8s.io/v1',
  ),
  api('apiextensions.k8s.io/v1beta1', '*', 16, 22, 'apiextensions.k8s.io/v1'),
  api('apiregistration.k8s.io/v1beta1', '*', 19, 22, 'apiregistration.k8s.io/v1'),
  api('certificates.k8s.io/v1beta1', '*', 19, 22, 'certificates.k8s.io/v1'),
  api('coordination.k8s.io/v1beta1', '*', 19, 22, 'coordination.k8s.io/v1'),
  api('scheduling.k8s.io/v1beta1', '*', 17, 22, 'scheduling.k8s.io/v1'),
  api('storage.k8s.io/v1beta1', 'CSIDriver', 19, 22, 'storage.k8s.io/v1'),
  api('storage.k8s.io/v1beta1', 'CSINode', 17, 22, 'storage.k8s.io/v1'),
  api('storage.k8s.io/v1beta1', 'StorageClass', 19, 22, 'storage.k8s.io/v1'),
  api('storage.k8s.io/v1beta1', 'VolumeAttachment', 19, 22, 'storage.k8s.io/v1'),
  api('storage.k8s.io/v1beta1', 'CSIStorageCapacity', 24, 27, 'storage.k8s.io/v1'),
  api('batch/v1beta1', 'CronJob', 21, 25, 'batch/v1'),
  api('batch/v2alpha1', 'CronJob', 8, 21, 'batch/v1'),
  api('policy/v1beta1', 'PodDisruptionBudget', 21, 25, 'policy/v1'),
  // no replacement: Pod Security admission took its place
  api('policy/v1beta1', 'PodSecurityPolicy', 21, 25),
  api('policy/v1beta1', '*', 21, 25),
  api('discovery.k8s.io/v1beta1', 'EndpointSlice', 21, 25, 'discovery.k8s.io/v1'),
  api('events.k8s.io/v1beta1', 'Event', 19, 25, 'events.k8s.io/v1'),
  api('node.k8s.io/v1beta1', 'RuntimeClass', 20, 25, 'node.k8s.io/v1'),
  api('autoscaling/v2beta1', 'HorizontalPodAutoscaler', 23, 25, 'autoscaling/v2'),
  api('autoscaling/v2beta2', 'HorizontalPodAutoscaler', 23, 26, 'autoscaling/v2'),
  api('flowcontrol.apiserver.k8s.io/v1beta1', '*', 23, 26, 'flowcontrol.apiserver.k8s.io/v1'),
  api('flowcontrol.apiserver.k8s.io/v1beta2', '*', 26, 29, 'flowcontrol.apiserver.k8s.io/v1'),
  api('flowcontrol.apiserver.k8s.io/v1beta3', '*', 29, 32, 'flowcontrol.apiserver.k8s.io/v1'),
  api('resource.k8s.io/v1alpha2', '*', 27, 31),
];

/** The entry for an object's apiVersion and kind: the kind's own, else its apiVersion's `*`. */
export function deprecationOf(apiVersion: string, kind: string): DeprecatedApi | undefined {
  const own = DEPRECATED_APIS.filter((d) => d.apiVersion === apiVersion);
  return own.find((d) => d.kind === kind) ?? own.find((d) => d.kind === '*');
}

/**
 * The minor of a Kubernetes 1.x version, `v` and patch allowed; undefined when the text is not one.
 * @example kubernetesMinor('v1.29.3') // 29
 */
export function kubernetesMinor(version: string): number | undefined {
  const m = /^v?1\.(\d+)(\.\d+)?([-+].*)?$/.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}
