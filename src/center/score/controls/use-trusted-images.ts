import type { ScoreControl } from './types.js';

export const useTrustedImages: ScoreControl = {
  name: 'use-trusted-images',
  title: 'Build and run trusted images',
  max: 3,
  recommendations: [
    { source: 'docker', sections: ['4'] },
    { source: 'kubernetes', sections: ['images'] },
  ],
};
