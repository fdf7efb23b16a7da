/**
 * Small hand-written documents that follow docs/center.md, for the center's tests. Each takes the few facts a
 * test varies; everything else is fixed so that building the same document twice gives the same body.
 */
const head = (kind: string, generatedAt = '2026-03-01T09:00:00.000Z') => ({
  schemaVersion: 1,
  kind,
  generatedAt,
  tool: { name: 'bulkhead', version: '0.1.0' },
});

export const CONFIG_DIGEST = `sha256:${'c'.repeat(64)}`;
export const MANIFEST_DIGEST = `sha256:${'a'.repeat(64)}`;

export interface VulnSpec {
  id: string;
  pkg?: string;
  severity?: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
}

export function imageScan(
  vulns: readonly VulnSpec[],
  options: { healthy?: boolean | null; generatedAt?: string; packages?: number } = {},
) {
  const pkgs = new Set(vulns.map((v) => v.pkg ?? 'openssl'));
  for (let i = 0; i < (options.packages ?? 0); i++) pkgs.add(`pkg-${i}`);
  return {
    ...head('ImageScan', options.generatedAt),
    target: 'docker://registry.example:5000/team/web:1.0',
    engine: 'image-scan',
    origin: { registry: 'registry.example:5000' },
    assessed: [{ type: 'image', id: MANIFEST_DIGEST, name: 'registry.example:5000/team/web:1.0' }],
    complete: true,
    artifact: {
      digest: CONFIG_DIGEST,
      manifestDigest: MANIFEST_DIGEST,
      repoDigests: [`registry.example:5000/team/web@${MANIFEST_DIGEST}`],
      repoTags: ['registry.example:5000/team/web:1.0'],
      registry: 'registry.example:5000',
      repository: 'team/web',
      os: { family: 'debian', version: '12' },
    },
    healthy: options.healthy === undefined ? vulns.length === 0 : options.healthy,
    coverage: [{ namespace: 'deb/debian/12', records: 10, newest: '2026-02-01', covered: true }],
    packages: [...pkgs].map((name) => ({
      name,
      version: '1.0',
      type: 'deb',
      purl: `pkg:deb/debian/${name}@1.0`,
    })),
    summary: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
    vulnerabilities: vulns.map((v) => ({
      id: v.id,
      aliases: [`ALIAS-${v.id}`],
      package: {
        name: v.pkg ?? 'openssl',
        version: '1.0',
        type: 'deb',
        purl: `pkg:deb/debian/${v.pkg ?? 'openssl'}@1.0`,
      },
      fixedVersion: '1.1',
      status: 'fixed',
      severity: v.severity ?? 'HIGH',
      severitySource: 'debian',
      remediation: `upgrade ${v.pkg ?? 'openssl'} to 1.1`,
      dataSource: { id: 'debian', name: 'Debian' },
    })),
  };
}

export interface ContainerSpec {
  id: string;
  name: string;
  imageId?: string;
}

export const HOST = 'node-1';

/** A benchmark of HOST: control 5.4 fails on every container given in `failing`, 2.1 fails on the daemon. */
export function dockerBenchmark(
  containers: readonly ContainerSpec[],
  failing: readonly string[],
  options: { complete?: boolean; generatedAt?: string } = {},
) {
  const res = (c: ContainerSpec) => ({ type: 'container', id: c.id, name: `/${c.name}` });
  return {
    ...head('DockerBenchmark', options.generatedAt),
    engine: 'docker-benchmark',
    origin: { host: HOST },
    complete: options.complete ?? true,
    assessed: [
      { type: 'host', id: HOST, name: HOST },
      { type: 'daemon', id: 'ABCD', name: 'dockerd' },
      ...containers.map(res),
    ],
    benchmark: { name: 'CIS Docker Benchmark', version: '1.8.0' },
    host: { hostname: HOST, dockerVersion: '27.0.1', images: 2, containers: containers.length },
    summary: { pass: 1, fail: 2 },
    results: [
      {
        id: '1.1.1',
        title: 'Ensure a separate partition for containers has been created',
        section: '1.1',
        level: 1,
        automated: true,
        status: 'pass',
        severity: 'LOW',
        message: 'ok',
        resources: [],
        evidence: null,
        remediation: 'n/a',
      },
      {
        id: '2.1',
        title: 'Run the Docker daemon as a non-root user, if possible',
        section: '2',
        level: 2,
        automated: false,
        status: 'fail',
        severity: 'MEDIUM',
        message: 'rootful',
        resources: [{ type: 'daemon', id: 'ABCD', name: 'dockerd' }],
        evidence: null,
        remediation: 'use rootless mode',
      },
      {
        id: '5.4',
        title: 'Ensure that privileged containers are not used',
        section: '5',
        level: 1,
        automated: true,
        status: failing.length > 0 ? 'fail' : 'pass',
        severity: 'HIGH',
        message: `${failing.length} privileged`,
        resources: containers.filter((c) => failing.includes(c.id)).map(res),
        evidence: null,
        remediation: 'drop --privileged',
      },
    ],
  };
}

export function hostInventory(containers: readonly ContainerSpec[], options: { generatedAt?: string } = {}) {
  return {
    ...head('HostInventory', options.generatedAt),
    engine: 'docker-benchmark',
    origin: { host: HOST },
    complete: true,
    host: { hostname: HOST, operatingSystem: 'Debian GNU/Linux 12' },
    daemon: {
      version: '27.0.1',
      apiVersion: '1.46',
      images: 1,
      containers: containers.length,
      running: containers.length,
    },
    images: [{ id: CONFIG_DIGEST, repoTags: ['registry.example:5000/team/web:1.0'], repoDigests: [] }],
    containers: containers.map((c) => ({
      id: c.id,
      name: `/${c.name}`,
      image: 'registry.example:5000/team/web:1.0',
      imageId: c.imageId ?? CONFIG_DIGEST,
      state: 'running',
      running: true,
    })),
  };
}

export function runtimeAlerts(
  alerts: readonly { rule: string; container: string; firstSeen: string; lastSeen: string; count: number }[],
) {
  return {
    ...head('RuntimeAlerts'),
    engine: 'runtime',
    origin: { host: HOST },
    source: 'docker-events',
    alerts: alerts.map((a) => ({
      rule: a.rule,
      title: `rule ${a.rule}`,
      severity: 'HIGH',
      tactic: 'execution',
      source: 'docker-events',
      resource: { type: 'container', id: a.container, name: a.container, parent: { type: 'host', id: HOST } },
      firstSeen: a.firstSeen,
      lastSeen: a.lastSeen,
      count: a.count,
      evidence: { command: 'sh' },
    })),
  };
}

export const CLUSTER = 'prod';

/** A cluster with namespace `shop` (label team=shop), Deployment web and its pods, running the test image. */
export function clusterInventory(pods: readonly string[], options: { generatedAt?: string } = {}) {
  return {
    ...head('ClusterInventory', options.generatedAt),
    engine: 'k8s-scan',
    origin: { cluster: CLUSTER },
    complete: true,
    cluster: { name: CLUSTER, uid: 'uid-1', version: 'v1.31.0' },
    namespaces: [{ name: 'shop', uid: 'ns-1', labels: { team: 'shop' } }],
    workloads: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        images: ['registry.example:5000/team/web:1.0'],
      },
    ],
    pods: pods.map((name) => ({
      namespace: 'shop',
      name,
      owner: { kind: 'Deployment', name: 'web' },
      phase: 'Running',
      containers: [
        {
          name: 'web',
          image: 'registry.example:5000/team/web:1.0',
          imageID: `registry.example:5000/team/web@${MANIFEST_DIGEST}`,
        },
      ],
    })),
  };
}

/** A KubernetesScan of the cluster: K8S-POD-01 fails on Deployment shop/web. */
export function kubernetesScan(options: { generatedAt?: string; failing?: boolean } = {}) {
  return {
    ...head('KubernetesScan', options.generatedAt),
    engine: 'k8s-scan',
    origin: { cluster: CLUSTER },
    complete: false,
    assessed: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }],
    results: [
      {
        control: 'K8S-POD-01',
        title: 'Privileged containers',
        severity: 'HIGH',
        standards: ['pss-baseline'],
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
        status: options.failing === false ? 'pass' : 'fail',
        message: 'container web is privileged',
        field: 'spec.template.spec.containers[0].securityContext.privileged',
        remediation: 'remove privileged: true',
      },
    ],
  };
}
