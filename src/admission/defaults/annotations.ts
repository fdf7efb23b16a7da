import { z } from 'zod';
import { type AdmissionDefault, child } from './types.js';

export const annotations = {
  id: 'annotations',
  schema: z.record(z.string().min(1), z.string()),
  scope: 'object',
  description: "entries of the object's metadata.annotations that it does not set",
  apply: (object, value) => {
    const metadata = child(object, 'metadata');
    const map = metadata && child(metadata, 'annotations');
    if (!map) return;
    for (const [k, v] of Object.entries(value)) if (!Object.hasOwn(map, k)) map[k] = v;
  },
} satisfies AdmissionDefault<Record<string, string>>;
