import type { VulnerabilityFinding } from '../core/results.js';
import type { SeverityCounts } from '../core/severity.js';
import type { OsInfo, Package } from '../sbom/types.js';

/** The packages of one artifact, as the catalog or an SBOM gives them. */
export interface ScanInput {
  target: string;
  digest?: string;
  /** Manifest digest when the transport knows it (registry, OCI layout). */
  manifestDigest?: string;
  /** Names the image is tagged with (`repo:tag`), when the transport knows them. */
  repoTags?: string[];
  os?: OsInfo;
  packages: Package[];
  /** Layer diff id → the instruction that created it (image history). */
  layerInstructions?: Record<string, string>;
  /** purls of the artifact's own components (go.mod `module`, an SBOM's subject): VEX repository look-ups. */
  components?: string[];
  /**
   * The image it was built on: the OCI base labels' name and digest, and the diff ids of the layers the history
   * puts before the image's own (empty when it does not tell).
   */
  base?: { name?: string; digest?: string; layers: string[] };
}

/** One upgrade that closes several findings. */
export interface FixUnit {
  /** The package to upgrade (the source package for distro packages built from one). */
  package: string;
  type: string;
  from: string;
  to: string;
  /** Binary packages the upgrade touches. */
  packages: string[];
  closes: string[];
  remediation: string;
}

export interface Suppressed {
  id: string;
  package: string;
  version: string;
  by: 'ignore-file' | 'vex' | 'advisory';
  reason: string;
  expires?: string;
  /** VEX: the justification / status statement. */
  justification?: string;
}

export interface OsSupport {
  family: string;
  version: string;
  /** End of (standard) support, when Bulkhead knows it. */
  endOfLife?: string;
  eol: boolean;
}

export interface ScanResult {
  target: string;
  artifact: { digest?: string; os?: { family: string; version: string; eol?: boolean; endOfLife?: string } };
  /** true: nothing remains; false: findings remain; null: not assessed (no advisory data for a namespace). */
  healthy: boolean | null;
  summary: SeverityCounts;
  vulnerabilities: VulnerabilityFinding[];
  fixUnits: FixUnit[];
  suppressed: Suppressed[];
  /** Ignore-file entries whose date has passed: they no longer suppress. */
  expiredExceptions: { id: string; reason: string; expires: string }[];
  packages: number;
}
