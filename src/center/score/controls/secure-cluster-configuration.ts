import type { ScoreControl } from './types.js';

export const secureClusterConfiguration: ScoreControl = {
  name: 'secure-cluster-configuration',
  title: 'Secure cluster and namespace configuration',
  max: 3,
  recommendations: [{ source: 'kubernetes', sections: ['cluster', 'namespaces'] }],
};
