/**
 * The documents the center benchmark ingests: one template per family (an image scan, a Docker host's benchmark
 * and inventory, its runtime alerts, a cluster's inventory and scan), shaped as the CLI writes them
 * (docs/center.md). The seed multiplies the rows these produce; the ingest measurement pushes fresh image scans.
 */
const head = (kind: string) => ({
  schemaVersion: 1,
  kind,
  generatedAt: '2026-11-30T09:00:00.000Z',
  tool: { name: 'bulkhead', version: '0.1.0' },
});

const SEVERITIES = [
  'CRITICAL',
  'HIGH',
  'HIGH',
  'MEDIUM',
  'MEDIUM',
  'MEDIUM',
  'LOW',
  'LOW',
  'UNKNOWN',
  'LOW',
] as const;

/** Digests are 64 hex digits; the number in front keeps them distinct and findable by text replacement. */
export const manifestDigest = (i: number) => `sha256:${i.toString(16).padStart(8, '0')}${'a'.repeat(56)}`;
export const configDigest = (i: number) => `sha256:${i.toString(16).padStart(8, '0')}${'c'.repeat(56)}`;
export const registryHost = (i: number) => `reg-${String(i).padStart(3, '0')}.example:5000`;
export const repositoryPath = (i: number) => `team/app-${String(i).padStart(4, '0')}`;
export const hostName = (i: number) => `dh-${String(i).padStart(4, '0')}`;
export const clusterName = (i: number) => `kc-${String(i).padStart(4, '0')}`;

/** An image scan of image `i` in `registry`/`repository` with `vulns` findings over `vulns / 5` packages. */
export function imageScanDocument(i: number, registry: string, repository: string, vulns: number, salt = '') {
  const ref = `${registry}/${repository}:v${i}`;
  const pkgCount = Math.max(1, Math.floor(vulns / 5));
  const pkg = (n: number) => ({
    name: `lib${n}`,
    version: `1.${n}.0`,
    type: 'deb',
    purl: `pkg:deb/debian/lib${n}@1.${n}.0`,
  });
  return {
    ...head('ImageScan'),
    target: `docker://${ref}`,
    engine: 'image-scan',
    origin: { registry },
    assessed: [{ type: 'image', id: manifestDigest(i), name: ref }],
    complete: true,
    artifact: {
      digest: configDigest(i),
      manifestDigest: manifestDigest(i),
      repoDigests: [`${registry}/${repository}@${manifestDigest(i)}`],
      repoTags: [ref],
      registry,
      repository,
      os: { family: 'debian', version: '12' },
    },
    healthy: false,
    coverage: [{ namespace: 'deb/debian/12', records: 90000, newest: '2026-11-29', covered: true }],
    packages: Array.from({ length: pkgCount }, (_, n) => pkg(n)),
    summary: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
    vulnerabilities: Array.from({ length: vulns }, (_, n) => {
      const p = pkg(n % pkgCount);
      const id = `CVE-2026-${String(10000 + n).padStart(5, '0')}${salt}`;
      return {
        id,
        aliases: [`DEBIAN-${id}`],
        package: { ...p, sourceName: p.name },
        fixedVersion: `1.${n % pkgCount}.1`,
        status: 'fixed',
        severity: SEVERITIES[n % SEVERITIES.length]!,
        severitySource: 'debian',
        cvss: [
          {
            source: 'nvd',
            version: '3.1',
            vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
            score: 9.8,
          },
        ],
        title: `${p.name}: out-of-bounds write in parser (${id})`,
        remediation: `upgrade ${p.name} to 1.${n % pkgCount}.1`,
        dataSource: { id: 'debian', name: 'Debian Security Tracker' },
      };
    }),
  };
}

const CIS_CONTROLS = [
  ...Array.from({ length: 18 }, (_, n) => `1.1.${n + 1}`),
  ...Array.from({ length: 18 }, (_, n) => `2.${n + 1}`),
  ...Array.from({ length: 24 }, (_, n) => `3.${n + 1}`),
  ...Array.from({ length: 12 }, (_, n) => `4.${n + 1}`),
  ...Array.from({ length: 31 }, (_, n) => `5.${n + 1}`),
];

/** Containers of a templated host; they run the first images of the seed. */
const CONTAINERS = 10;

/** A full `bench docker` of host `name`: ~100 CIS controls, a third failing on the host, daemon or containers. */
export function dockerBenchmarkDocument(name: string) {
  const containers = Array.from({ length: CONTAINERS }, (_, n) => ({
    type: 'container',
    id: `${String(n).padStart(4, '0')}${'f'.repeat(60)}`,
    name: `/svc-${n}`,
  }));
  return {
    ...head('DockerBenchmark'),
    engine: 'docker-benchmark',
    origin: { host: name },
    complete: true,
    assessed: [
      { type: 'host', id: name, name },
      { type: 'daemon', id: `D-${name}`, name: 'dockerd' },
      ...containers,
    ],
    benchmark: { name: 'CIS Docker Benchmark', version: '1.8.0' },
    host: { hostname: name, dockerVersion: '27.0.1', images: CONTAINERS, containers: CONTAINERS },
    summary: { pass: 0, fail: 0 },
    results: CIS_CONTROLS.map((id, n) => {
      const section = id.split('.')[0]!;
      const fail = n % 3 === 0;
      const resources =
        !fail || section === '1'
          ? []
          : section === '5' || section === '4'
            ? containers.filter((_, c) => (c + n) % 2 === 0)
            : [{ type: 'daemon', id: `D-${name}`, name: 'dockerd' }];
      return {
        id,
        title: `CIS Docker ${id}`,
        section,
        level: 1,
        automated: true,
        status: fail ? 'fail' : 'pass',
        severity: SEVERITIES[n % SEVERITIES.length]!,
        message: fail ? 'not configured' : 'ok',
        resources,
        evidence: fail ? { setting: id } : null,
        remediation: `configure ${id}`,
      };
    }),
  };
}

export function hostInventoryDocument(name: string) {
  return {
    ...head('HostInventory'),
    engine: 'docker-benchmark',
    origin: { host: name },
    complete: true,
    host: { hostname: name, operatingSystem: 'Debian GNU/Linux 12', kernelVersion: '6.1.0' },
    daemon: {
      version: '27.0.1',
      apiVersion: '1.46',
      images: CONTAINERS,
      containers: CONTAINERS,
      running: 10,
    },
    images: Array.from({ length: CONTAINERS }, (_, n) => ({
      id: configDigest(n),
      repoTags: [`${registryHost(0)}/${repositoryPath(0)}:v${n}`],
      repoDigests: [],
    })),
    containers: Array.from({ length: CONTAINERS }, (_, n) => ({
      id: `${String(n).padStart(4, '0')}${'f'.repeat(60)}`,
      name: `/svc-${n}`,
      image: `${registryHost(0)}/${repositoryPath(0)}:v${n}`,
      imageId: configDigest(n),
      state: 'running',
      running: true,
    })),
  };
}

/** `count` alerts on the host's containers, over 50 rules. */
export function runtimeAlertsDocument(name: string, count: number) {
  return {
    ...head('RuntimeAlerts'),
    engine: 'runtime',
    origin: { host: name },
    source: 'docker-events',
    alerts: Array.from({ length: count }, (_, n) => {
      const c = n % CONTAINERS;
      return {
        rule: `RT-${String(Math.floor(n / CONTAINERS)).padStart(3, '0')}`,
        title: `runtime rule ${Math.floor(n / CONTAINERS)}`,
        severity: SEVERITIES[n % SEVERITIES.length]!,
        tactic: 'execution',
        source: 'docker-events',
        resource: {
          type: 'container',
          id: `${String(c).padStart(4, '0')}${'f'.repeat(60)}`,
          name: `/svc-${c}`,
          parent: { type: 'host', id: name },
        },
        firstSeen: '2026-11-30T08:00:00.000Z',
        lastSeen: '2026-11-30T08:30:00.000Z',
        count: 1 + (n % 7),
        evidence: { command: 'sh -c id', user: 'root' },
      };
    }),
  };
}

const NAMESPACES = 5;

/** A cluster with `workloads` Deployments over five namespaces, one pod each, running seeded images. */
export function clusterInventoryDocument(name: string, workloads: number) {
  const ns = (n: number) => `team-${n % NAMESPACES}`;
  const image = (n: number) => `${registryHost(0)}/${repositoryPath(0)}:v${n % 20}`;
  return {
    ...head('ClusterInventory'),
    engine: 'k8s-scan',
    origin: { cluster: name },
    complete: true,
    cluster: { name, uid: `uid-${name}`, version: 'v1.31.0' },
    namespaces: Array.from({ length: NAMESPACES }, (_, n) => ({ name: ns(n), uid: `ns-${n}`, labels: {} })),
    workloads: Array.from({ length: workloads }, (_, n) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: ns(n),
      name: `web-${n}`,
      images: [image(n)],
    })),
    pods: Array.from({ length: workloads }, (_, n) => ({
      namespace: ns(n),
      name: `web-${n}-5d8f-x`,
      owner: { kind: 'Deployment', name: `web-${n}` },
      phase: 'Running',
      containers: [
        { name: 'web', image: image(n), imageID: `${image(n).split(':v')[0]}@${manifestDigest(n % 20)}` },
      ],
    })),
  };
}

/** A scan of the cluster's Deployments: three controls each, one failing on every other workload. */
export function kubernetesScanDocument(name: string, workloads: number) {
  const ref = (n: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: `team-${n % NAMESPACES}`,
    name: `web-${n}`,
  });
  return {
    ...head('KubernetesScan'),
    engine: 'k8s-scan',
    origin: { cluster: name },
    complete: false,
    assessed: Array.from({ length: workloads }, (_, n) => ref(n)),
    results: Array.from({ length: workloads }, (_, n) =>
      ['K8S-POD-01', 'K8S-POD-02', 'K8S-POD-03'].map((control, c) => ({
        control,
        title: `Pod security ${control}`,
        severity: SEVERITIES[(n + c) % SEVERITIES.length]!,
        standards: ['pss-baseline'],
        resource: ref(n),
        status: c === 0 && n % 2 === 0 ? 'fail' : 'pass',
        message: 'container web is privileged',
        field: 'spec.template.spec.containers[0].securityContext.privileged',
        remediation: 'remove privileged: true',
      })),
    ).flat(),
  };
}
