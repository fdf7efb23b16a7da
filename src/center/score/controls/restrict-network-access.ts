import type { ScoreControl } from './types.js';

export const restrictNetworkAccess: ScoreControl = {
  name: 'restrict-network-access',
  title: 'Restrict unauthorized network access',
  max: 4,
  recommendations: [{ source: 'kubernetes', sections: ['network'] }],
};
