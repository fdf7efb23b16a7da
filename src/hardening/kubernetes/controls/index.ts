import { compareNatural } from '../../../core/collate.js';
import { clusterControls } from './cluster.js';
import { imageControls } from './images.js';
import { namespaceControls } from './namespaces.js';
import { networkControls } from './network.js';
import { withParameterised } from './parameterised/compose.js';
import { podHardeningControls } from './pod-hardening.js';
import { podHostControls } from './pod-host.js';
import { rbacControls } from './rbac.js';
import { reliabilityControls } from './reliability.js';
import { resourceControls } from './resources.js';
import { serviceAccountControls } from './service-accounts.js';
import type { Control } from './types.js';

/** Control groups, one per file of this folder (alphabetical). Adding a group = one file + one line. */
export const CONTROL_GROUPS: Readonly<Record<string, readonly Control[]>> = {
  cluster: clusterControls,
  images: imageControls,
  namespaces: namespaceControls,
  network: networkControls,
  'pod-hardening': podHardeningControls,
  'pod-host': podHostControls,
  rbac: rbacControls,
  reliability: reliabilityControls,
  resources: resourceControls,
  'service-accounts': serviceAccountControls,
};

/** Every control of the catalogue, sorted by id, with the generic checks its parameters can switch on. */
export const CONTROLS: readonly Control[] = Object.values(CONTROL_GROUPS)
  .flat()
  .map(withParameterised)
  .sort((a, b) => compareNatural(a.id, b.id));
