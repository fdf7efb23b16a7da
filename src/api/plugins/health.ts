import type { FastifyInstance } from 'fastify';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * `/healthz` (the process answers), `/readyz` (the store answers) and `/metrics` in the Prometheus text format:
 * requests by route and status, their durations, reports ingested and open results. Counters live in memory:
 * they start at zero with each process, as Prometheus expects of counters.
 */
export function registerHealth(app: FastifyInstance): void {
  const requests = new Map<string, number>();
  const durations = new Map<string, Histogram>();
  let reportsIngested = 0;

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = `method="${request.method}",route="${escapeLabel(route)}",status="${reply.statusCode}"`;
    requests.set(labels, (requests.get(labels) ?? 0) + 1);
    const key = `method="${request.method}",route="${escapeLabel(route)}"`;
    const h = durations.get(key) ?? { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
    const seconds = reply.elapsedTime / 1000;
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) h.buckets[i]! += 1;
    });
    h.sum += seconds;
    h.count += 1;
    durations.set(key, h);
    if (request.method === 'POST' && route === '/api/v1/reports' && reply.statusCode === 202)
      reportsIngested += 1;
  });

  const hidden = { schema: { hide: true } };
  app.get('/healthz', hidden, async () => ({ status: 'ok' }));
  app.get('/readyz', hidden, async (_request, reply) => {
    const ready = await app.center.health.ready();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'store unreachable' });
  });
  app.get('/metrics', hidden, async (_request, reply) => {
    const lines: string[] = [];
    lines.push('# HELP bulkhead_http_requests_total HTTP requests answered, by route and status.');
    lines.push('# TYPE bulkhead_http_requests_total counter');
    for (const [labels, n] of requests) lines.push(`bulkhead_http_requests_total{${labels}} ${n}`);
    lines.push('# HELP bulkhead_http_request_duration_seconds Time to answer, by route.');
    lines.push('# TYPE bulkhead_http_request_duration_seconds histogram');
    for (const [labels, h] of durations) {
      BUCKETS.forEach((le, i) => {
        lines.push(`bulkhead_http_request_duration_seconds_bucket{${labels},le="${le}"} ${h.buckets[i]}`);
      });
      lines.push(`bulkhead_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      lines.push(`bulkhead_http_request_duration_seconds_sum{${labels}} ${h.sum}`);
      lines.push(`bulkhead_http_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    lines.push('# HELP bulkhead_reports_ingested_total Reports accepted by POST /api/v1/reports.');
    lines.push('# TYPE bulkhead_reports_ingested_total counter');
    lines.push(`bulkhead_reports_ingested_total ${reportsIngested}`);
    const open = await openResults(app);
    if (open) {
      lines.push('# HELP bulkhead_open_results Open findings, control results and alerts.');
      lines.push('# TYPE bulkhead_open_results gauge');
      for (const [kind, n] of Object.entries(open)) lines.push(`bulkhead_open_results{kind="${kind}"} ${n}`);
    }
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(`${lines.join('\n')}\n`);
  });
}

/** Open results from the center's lists (their totals); omitted when the center cannot answer. */
async function openResults(app: FastifyInstance): Promise<Record<string, number> | null> {
  try {
    const [findings, controls, alerts] = await Promise.all([
      app.center.findings.list({ state: 'open', limit: 1 }),
      app.center.controlResults.list({ state: 'open', limit: 1 }),
      app.center.alerts.list({ state: 'new,acknowledged,in_progress', limit: 1 }),
    ]);
    return { finding: findings.total, control: controls.total, alert: alerts.total };
  } catch (error) {
    app.log.warn({ err: error }, 'open results not counted for /metrics');
    return null;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
