import { DISGUISES } from './image.js';

/** An address of the simulation's threat-intel feed (loopback: nothing leaves the host). */
export const SIM_INTEL_ADDRESS = '127.66.0.1';

/** A host scenario: a container whose script produces real activity that one rule must see. */
export interface HostScenario {
  name: string;
  rule: string;
  description: string;
  /** Shell script run as the container command (busybox sh). */
  script: string;
  privileged?: boolean;
  binds?: string[];
  /** Only when named with --scenario (needs a runtime that may grant all capabilities). */
  optIn?: boolean;
}

/** A Kubernetes scenario: audit events POSTed to the audit webhook receiver. */
export interface K8sScenario {
  name: string;
  rule: string;
  description: string;
  events: (id: string) => object[];
}

const pause = 'sleep 3';

export const HOST_SCENARIOS: readonly HostScenario[] = [
  {
    name: 'ssh-server',
    rule: 'RT-HOST-03',
    description: 'a process named sshd starts in a container',
    script: `exec -a sh /${DISGUISES.sshd} -c '${pause}'`,
  },
  {
    name: 'web-shell',
    rule: 'RT-HOST-01',
    description: 'a web-server process (nginx) spawns a shell running id',
    script: `exec -a sh /${DISGUISES.nginx} -c 'sh -c "id; ${pause}"; true'`,
  },
  {
    name: 'miner',
    rule: 'RT-HOST-04',
    description: 'a process named xmrig runs',
    script: `exec -a sleep /${DISGUISES.xmrig} 3`,
  },
  {
    name: 'threat-intel-connection',
    rule: 'RT-HOST-09',
    description: `a connection to ${SIM_INTEL_ADDRESS}, listed in the simulation's threat-intel feed`,
    script: `nc -w 1 ${SIM_INTEL_ADDRESS} 4444; ${pause}`,
  },
  {
    name: 'history-cleared',
    rule: 'RT-HOST-13',
    description: 'root shell history removed',
    script: `/bin/touch /root/.bash_history; /bin/rm -f /root/.bash_history; ${pause}`,
  },
  {
    name: 'new-user',
    rule: 'RT-HOST-15',
    description: 'a local account is created with adduser',
    script: `adduser -D -H eve; ${pause}`,
  },
  {
    name: 'workload-test-alert',
    rule: 'RT-HOST-60',
    description: "Defender's workload test program runs",
    script: `(exec -a echo /${DISGUISES.alerttest} testing eicar pipe); ${pause}`,
  },
  {
    name: 'sensitive-mount',
    rule: 'RT-DKR-02',
    description: "a container starts with the host's /etc bind-mounted (Docker events + inspect)",
    script: pause,
    binds: ['/etc:/host-etc:ro'],
  },
  {
    name: 'privileged-container',
    rule: 'RT-DKR-01',
    description: 'a privileged container starts (Docker events + inspect)',
    script: pause,
    privileged: true,
    optIn: true,
  },
];

const base = (id: string, over: Record<string, unknown>) => ({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'RequestResponse',
  auditID: `bulkhead-sim-${id}`,
  stage: 'ResponseComplete',
  user: { username: 'kubernetes-admin', groups: ['system:masters'] },
  sourceIPs: ['127.0.0.1'],
  userAgent: 'bulkhead-simulate',
  requestReceivedTimestamp: new Date().toISOString(),
  stageTimestamp: new Date().toISOString(),
  annotations: { 'authorization.k8s.io/decision': 'allow' },
  ...over,
});

export const K8S_SCENARIOS: readonly K8sScenario[] = [
  {
    name: 'privileged-pod',
    rule: 'RT-K8S-08',
    description: 'a pod with a privileged container is created',
    events: (id) => [
      base(`${id}-pod`, {
        verb: 'create',
        requestURI: '/api/v1/namespaces/bulkhead-sim/pods',
        objectRef: { resource: 'pods', namespace: 'bulkhead-sim', name: `priv-${id}`, apiVersion: 'v1' },
        responseStatus: { code: 201 },
        requestObject: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `priv-${id}`, namespace: 'bulkhead-sim' },
          spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
        },
      }),
    ],
  },
  {
    name: 'pod-exec',
    rule: 'RT-K8S-22',
    description: 'kubectl exec into a pod (ResponseStarted and ResponseComplete of one request)',
    events: (id) =>
      ['ResponseStarted', 'ResponseComplete'].map((stage) =>
        base(`${id}-exec`, {
          stage,
          verb: 'create',
          requestURI: `/api/v1/namespaces/bulkhead-sim/pods/web-${id}/exec?command=sh&container=c&stdin=true&tty=true`,
          objectRef: {
            resource: 'pods',
            subresource: 'exec',
            namespace: 'bulkhead-sim',
            name: `web-${id}`,
            apiVersion: 'v1',
          },
          responseStatus: { code: 101 },
        }),
      ),
  },
  {
    name: 'cluster-admin-binding',
    rule: 'RT-K8S-17',
    description: 'a ClusterRoleBinding to cluster-admin is created',
    events: (id) => [
      base(`${id}-crb`, {
        verb: 'create',
        requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
        objectRef: {
          resource: 'clusterrolebindings',
          name: `sim-${id}`,
          apiGroup: 'rbac.authorization.k8s.io',
          apiVersion: 'v1',
        },
        responseStatus: { code: 201 },
        requestObject: {
          kind: 'ClusterRoleBinding',
          metadata: { name: `sim-${id}` },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ kind: 'User', name: 'mallory' }],
        },
      }),
    ],
  },
];

export const SCENARIO_NAMES = [...HOST_SCENARIOS.map((s) => s.name), ...K8S_SCENARIOS.map((s) => s.name)];
