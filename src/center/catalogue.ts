import type { Severity } from '../core/severity.js';
import { CONTROLS as DOCKER_CONTROLS, SECTION_TITLES } from '../hardening/docker/controls/index.js';
import { CONTROL_GROUPS as K8S_GROUPS } from '../hardening/kubernetes/controls/index.js';
import { RULE_FILES } from '../runtime/rules/index.js';
import { alertSeverity } from '../runtime/rules/types.js';
import type { Engine } from './types.js';

/**
 * The center's read-only view of the engines' catalogues: every CIS Docker control, every Kubernetes control,
 * every runtime rule, plus the two vulnerability recommendations. Built from the engines' own registries at load,
 * never a copied row, so a control changed in its engine changes here too.
 *
 * Recommendation ids: `CIS-DOCKER-<number>` for Docker (the benchmark's bare `5.5` would be ambiguous next to other
 * numbered catalogues), the engine's own id for Kubernetes controls (`K8S-POD-01`) and runtime rules (`RT-K8S-07`),
 * and `vulnerabilities-registry-images` / `vulnerabilities-running-images`.
 */
export type CatalogueSource = 'docker' | 'kubernetes' | 'runtime' | 'vulnerabilities';

export interface CatalogueEntry {
  id: string;
  /** The id the engine writes into its results (`5.5`, `K8S-POD-01`, `RT-K8S-07`). */
  control: string;
  /** Engines whose results are this entry's. */
  engines: readonly Engine[];
  source: CatalogueSource;
  /** control: assessed posture (a recommendation); rule: a runtime detection (alerts, no recommendation). */
  kind: 'control' | 'rule' | 'vulnerabilities';
  title: string;
  severity: Severity;
  /** Center standard names: cis-docker, cis-kubernetes, pss-baseline, pss-restricted, nsa, best-practices. */
  standards: readonly string[];
  description: string;
  remediation: string;
  version: number;
  /** What the dashboard groups it under. */
  group: string;
  /** The engine's own grouping: Docker benchmark section, Kubernetes control file, runtime rule file. */
  section: string;
}

export const VULNERABILITY_REGISTRY_IMAGES = 'vulnerabilities-registry-images';
export const VULNERABILITY_RUNNING_IMAGES = 'vulnerabilities-running-images';

export const GROUPS = {
  docker: 'CIS Docker Benchmark',
  kubernetes: 'Kubernetes',
  runtime: 'Runtime detections',
  vulnerabilities: 'Vulnerabilities',
} as const;

const DOCKER_PREFIX = 'CIS-DOCKER-';

function dockerEntries(): CatalogueEntry[] {
  return DOCKER_CONTROLS.map((c) => ({
    id: `${DOCKER_PREFIX}${c.id}`,
    control: c.id,
    engines: ['docker-benchmark'],
    source: 'docker',
    kind: 'control',
    title: c.title,
    severity: c.severity,
    standards: ['cis-docker'],
    description: `CIS Docker Benchmark v1.8.0 recommendation ${c.id} (Level ${c.level}, ${
      c.automated ? 'Automated' : 'Manual'
    }), section ${SECTION_TITLES[c.section] ?? c.section}.`,
    remediation: c.remediation,
    version: c.version,
    group: GROUPS.docker,
    section: c.section,
  }));
}

/** The engine says `cis` for the CIS Kubernetes Benchmark; the center names standards across engines. */
const K8S_STANDARD: Readonly<Record<string, string>> = { cis: 'cis-kubernetes' };

function kubernetesEntries(): CatalogueEntry[] {
  return Object.entries(K8S_GROUPS).flatMap(([section, controls]) =>
    controls.map((c) => {
      const standards = c.standards.map((s) => K8S_STANDARD[s] ?? s);
      return {
        id: c.id,
        control: c.id,
        engines: ['k8s-scan', 'admission-audit'],
        source: 'kubernetes',
        kind: 'control',
        title: c.title,
        severity: c.severity,
        standards,
        description: `Kubernetes control ${c.id} (${section}; ${standards.join(', ') || 'no standard'}).`,
        remediation: c.remediation,
        version: c.version,
        group: GROUPS.kubernetes,
        section,
      } satisfies CatalogueEntry;
    }),
  );
}

function runtimeEntries(): CatalogueEntry[] {
  return Object.entries(RULE_FILES).flatMap(([section, rules]) =>
    rules.map(
      (r) =>
        ({
          id: r.id,
          control: r.id,
          engines: ['runtime'],
          source: 'runtime',
          kind: 'rule',
          title: r.title,
          severity: alertSeverity(r.severity),
          standards: [],
          description: `Runtime detection over ${r.source} (${r.tactic}${r.technique ? `, ${r.technique}` : ''}).`,
          remediation: r.remediation,
          version: 1,
          group: GROUPS.runtime,
          section,
        }) satisfies CatalogueEntry,
    ),
  );
}

function vulnerabilityEntries(): CatalogueEntry[] {
  const common = {
    engines: ['image-scan'],
    source: 'vulnerabilities',
    kind: 'vulnerabilities',
    severity: 'HIGH',
    standards: [],
    version: 1,
    group: GROUPS.vulnerabilities,
    section: 'vulnerabilities',
  } as const;
  return [
    {
      ...common,
      id: VULNERABILITY_REGISTRY_IMAGES,
      control: VULNERABILITY_REGISTRY_IMAGES,
      title: 'Container registry images should have vulnerability findings resolved',
      description:
        'Images the center knows (from registries, hosts and clusters) that a scan with advisory coverage assessed: ' +
        'an image with an open vulnerability finding is unhealthy.',
      remediation:
        'Rebuild the image on a patched base and upgrade the affected packages to their fixed versions; ' +
        'push the new image and scan it again.',
    },
    {
      ...common,
      id: VULNERABILITY_RUNNING_IMAGES,
      control: VULNERABILITY_RUNNING_IMAGES,
      title: 'Running container images should have vulnerability findings resolved',
      description:
        'Images that a container, pod or workload runs: an image in use with an open vulnerability finding is ' +
        'unhealthy.',
      remediation:
        'Rebuild the image with the fixed package versions, then redeploy the containers, pods and workloads ' +
        'that run it.',
    },
  ];
}

/** Every catalogue entry, in a stable order: vulnerabilities, Docker (benchmark order), Kubernetes, runtime. */
export const CATALOGUE: readonly CatalogueEntry[] = [
  ...vulnerabilityEntries(),
  ...dockerEntries(),
  ...kubernetesEntries(),
  ...runtimeEntries(),
];

/** The catalogue entries that are recommendations (controls and the two vulnerability ones). */
export const RECOMMENDATION_ENTRIES: readonly CatalogueEntry[] = CATALOGUE.filter((e) => e.kind !== 'rule');

const BY_ID = new Map(CATALOGUE.map((e) => [e.id, e]));
const BY_ENGINE_CONTROL = new Map<string, CatalogueEntry>(
  CATALOGUE.flatMap((e) => e.engines.map((engine) => [`${engine}\u0000${e.control}`, e] as const)),
);

const CONTROL_BY_ENGINE_ID = new Map<string, CatalogueEntry>(
  CATALOGUE.filter((e) => e.kind === 'control').flatMap((e) => [[e.control, e] as const, [e.id, e] as const]),
);

/** The control a result names, whatever engine filed it (control ids are unique across the posture engines). */
export function controlByResultId(control: string): CatalogueEntry | undefined {
  return CONTROL_BY_ENGINE_ID.get(control);
}

export function catalogueById(id: string): CatalogueEntry | undefined {
  return BY_ID.get(id);
}

/** The entry an engine's result is about; a Docker result may name its control bare (`5.5`) or prefixed. */
export function catalogueEntry(engine: string, control: string): CatalogueEntry | undefined {
  return BY_ENGINE_CONTROL.get(`${engine}\u0000${control}`) ?? BY_ID.get(control);
}
