/** The list endpoints the controls need: read-only, paged with limit/continue. Secrets are not listed (their data would be read). */
export interface ListEndpoint {
  path: string;
  apiVersion: string;
  kind: string;
}

const core = (resource: string, kind: string): ListEndpoint => ({
  path: `/api/v1/${resource}`,
  apiVersion: 'v1',
  kind,
});
const group = (gv: string, resource: string, kind: string): ListEndpoint => ({
  path: `/apis/${gv}/${resource}`,
  apiVersion: gv,
  kind,
});

export const LIST_ENDPOINTS: readonly ListEndpoint[] = [
  core('namespaces', 'Namespace'),
  core('nodes', 'Node'),
  core('pods', 'Pod'),
  core('services', 'Service'),
  core('serviceaccounts', 'ServiceAccount'),
  core('configmaps', 'ConfigMap'),
  core('replicationcontrollers', 'ReplicationController'),
  core('resourcequotas', 'ResourceQuota'),
  core('limitranges', 'LimitRange'),
  core('persistentvolumes', 'PersistentVolume'),
  core('persistentvolumeclaims', 'PersistentVolumeClaim'),
  group('apps/v1', 'deployments', 'Deployment'),
  group('apps/v1', 'daemonsets', 'DaemonSet'),
  group('apps/v1', 'statefulsets', 'StatefulSet'),
  group('apps/v1', 'replicasets', 'ReplicaSet'),
  group('batch/v1', 'jobs', 'Job'),
  group('batch/v1', 'cronjobs', 'CronJob'),
  group('networking.k8s.io/v1', 'networkpolicies', 'NetworkPolicy'),
  group('networking.k8s.io/v1', 'ingresses', 'Ingress'),
  group('rbac.authorization.k8s.io/v1', 'roles', 'Role'),
  group('rbac.authorization.k8s.io/v1', 'rolebindings', 'RoleBinding'),
  group('rbac.authorization.k8s.io/v1', 'clusterroles', 'ClusterRole'),
  group('rbac.authorization.k8s.io/v1', 'clusterrolebindings', 'ClusterRoleBinding'),
  group('policy/v1', 'poddisruptionbudgets', 'PodDisruptionBudget'),
  group('autoscaling/v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler'),
  group(
    'admissionregistration.k8s.io/v1',
    'validatingwebhookconfigurations',
    'ValidatingWebhookConfiguration',
  ),
  group('admissionregistration.k8s.io/v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration'),
  group('admissionregistration.k8s.io/v1', 'validatingadmissionpolicies', 'ValidatingAdmissionPolicy'),
  group('storage.k8s.io/v1', 'storageclasses', 'StorageClass'),
  group('certificates.k8s.io/v1', 'certificatesigningrequests', 'CertificateSigningRequest'),
];
