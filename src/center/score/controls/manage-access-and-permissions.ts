import type { ScoreControl } from './types.js';

export const manageAccessAndPermissions: ScoreControl = {
  name: 'manage-access-and-permissions',
  title: 'Manage access and permissions',
  max: 4,
  recommendations: [{ source: 'kubernetes', sections: ['rbac', 'service-accounts'] }],
};
