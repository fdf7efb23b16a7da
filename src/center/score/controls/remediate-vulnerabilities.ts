import { VULNERABILITY_REGISTRY_IMAGES, VULNERABILITY_RUNNING_IMAGES } from '../../catalogue.js';
import type { ScoreControl } from './types.js';

export const remediateVulnerabilities: ScoreControl = {
  name: 'remediate-vulnerabilities',
  title: 'Remediate vulnerabilities',
  max: 6,
  recommendations: [VULNERABILITY_REGISTRY_IMAGES, VULNERABILITY_RUNNING_IMAGES],
};
