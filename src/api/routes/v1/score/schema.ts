import { z } from 'zod';
import type { ScoreView } from '../../../../center/index.js';

export const ScoreControl = z.object({
  name: z.string(),
  max: z.number(),
  current: z.number(),
  healthy: z.number().int(),
  unhealthy: z.number().int(),
});
z.globalRegistry.add(ScoreControl, { id: 'ScoreControl' });

export const Score = z.object({
  percentage: z.number().nullable().describe('0–100; null when nothing was assessed.'),
  controls: z.array(ScoreControl),
  history: z.array(z.object({ date: z.string(), percentage: z.number().nullable() })),
}) satisfies z.ZodType<ScoreView>;
z.globalRegistry.add(Score, { id: 'Score' });
