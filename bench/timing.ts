import type { Timing } from './types.js';

/** Run `fn` `repeat` times after one warm-up, return the median wall time. */
export async function time(label: string, fn: () => Promise<unknown> | unknown, repeat = 5): Promise<Timing> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { label, ms: samples[Math.floor(samples.length / 2)]! };
}
