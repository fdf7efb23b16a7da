import { Agent, request } from 'node:https';

export interface PacedLoadOptions {
  url: string;
  /** PEM CA the server's certificate chains to. */
  ca: string;
  /** Requests per second, sent at even intervals. */
  rate: number;
  seconds: number;
  /** Keep-alive connections the requests share (as an API server's webhook client does). */
  connections: number;
  /** The body of request number i. */
  body: (i: number) => string;
}

export interface PacedLoad {
  requests: number;
  /** Latencies in milliseconds, from each request's scheduled send time to the end of its response. */
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

/**
 * An open-loop load at a steady rate: request i is due at start + i/rate whatever happened before, and its
 * latency counts from that due time, so a stalled server shows in the figures (no coordinated omission).
 * autocannon's rate mode sends each connection's quota for the second back to back at the start of every
 * second, which measures its own bursts rather than a steady 200 requests/s.
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoad> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections, ca: options.ca });
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  const send = (i: number, due: number) =>
    new Promise<void>((resolve) => {
      const body = options.body(i);
      const req = request(
        options.url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
            resolve();
          });
          res.on('error', () => {
            errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait - 0.5));
    while (performance.now() < due) {
      // the last half millisecond: timers are too coarse to pace at 5 ms intervals exactly
    }
    pending.push(send(i, due));
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { requests: latencies.length, p50: q(0.5), p99: q(0.99), max: q(1), errors, non2xx };
}
