import type { ScoreControl } from './types.js';

export const applyResourceLimits: ScoreControl = {
  name: 'apply-resource-limits',
  title: 'Apply resource limits and keep workloads available',
  max: 2,
  recommendations: [{ source: 'kubernetes', sections: ['resources', 'reliability'] }],
};
