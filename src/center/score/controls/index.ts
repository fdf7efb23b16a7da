import type { CatalogueEntry } from '../../catalogue.js';
import { applyResourceLimits } from './apply-resource-limits.js';
import { hardenDockerHosts } from './harden-docker-hosts.js';
import { manageAccessAndPermissions } from './manage-access-and-permissions.js';
import { remediateVulnerabilities } from './remediate-vulnerabilities.js';
import { restrictContainerPrivileges } from './restrict-container-privileges.js';
import { restrictNetworkAccess } from './restrict-network-access.js';
import { secureClusterConfiguration } from './secure-cluster-configuration.js';
import type { ScoreControl } from './types.js';
import { useTrustedImages } from './use-trusted-images.js';

export type { RecommendationSelector, ScoreControl } from './types.js';

/** The security controls of the secure score (docs/score.md). Adding one = one file + one line. */
export const SCORE_CONTROLS: readonly ScoreControl[] = [
  remediateVulnerabilities,
  hardenDockerHosts,
  useTrustedImages,
  restrictContainerPrivileges,
  manageAccessAndPermissions,
  restrictNetworkAccess,
  secureClusterConfiguration,
  applyResourceLimits,
];

/** True when the control holds the catalogue entry. */
export function holds(control: ScoreControl, entry: CatalogueEntry): boolean {
  return control.recommendations.some((s) =>
    typeof s === 'string' ? s === entry.id : s.source === entry.source && s.sections.includes(entry.section),
  );
}
