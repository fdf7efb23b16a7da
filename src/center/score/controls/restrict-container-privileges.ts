import type { ScoreControl } from './types.js';

export const restrictContainerPrivileges: ScoreControl = {
  name: 'restrict-container-privileges',
  title: 'Restrict container privileges and host access',
  max: 6,
  recommendations: [
    { source: 'docker', sections: ['5'] },
    { source: 'kubernetes', sections: ['pod-hardening', 'pod-host'] },
  ],
};
