import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { JsonText, Page } from '../center/index.js';

/**
 * Lists answer `{items, next, total}`: `next` is an opaque cursor for the following page (null on the last),
 * `total` counts every item the filters match. `?format=csv` answers the same page as RFC 4180 CSV.
 */
export function pageQuery<const S extends readonly [string, ...string[]]>(sortFields: S) {
  const sorts = sortFields.flatMap((f) => [f, `-${f}`]) as unknown as [string, ...string[]];
  return z.object({
    limit: z.coerce.number().int().min(1).max(500).optional().describe('Items per page, 1–500 (default 50).'),
    cursor: z.string().min(1).optional().describe('The `next` of the previous page.'),
    sort: z.enum(sorts).optional().describe('A field to sort by; `-` in front for descending.'),
    format: z.enum(['json', 'csv']).optional().describe('`csv` answers the page as CSV (RFC 4180).'),
  });
}

export function pageOf<T extends z.ZodObject>(item: T) {
  return z.object({
    items: z.array(item),
    next: z.string().nullable().describe('Cursor of the next page; null on the last.'),
    total: z.number().int().describe('Items matching the filters, over all pages.'),
  });
}

/** The query without the API's own `format`, as the center's services take it. */
export function serviceQuery<Q extends { format?: string | undefined }>(query: Q): Omit<Q, 'format'> {
  const { format: _format, ...rest } = query;
  return rest;
}

/**
 * Answer a page as JSON, or as CSV when asked: the header is the item schema's top-level fields in order,
 * nested values are JSON, missing ones empty.
 */
export function sendPage<
  T extends z.ZodObject,
  P extends { items: unknown[]; next: string | null; total: number },
>(request: FastifyRequest, reply: FastifyReply, item: T, page: P): P {
  const format = (request.query as { format?: string } | undefined)?.format;
  if (format !== 'csv') return page;
  const fields = Object.keys(item.shape);
  const lines = [fields.map(csvField).join(',')];
  for (const row of page.items as Record<string, unknown>[]) {
    lines.push(fields.map((f) => csvField(csvValue(row[f]))).join(','));
  }
  if (page.next) reply.header('x-next-cursor', page.next);
  reply.header('x-total-count', String(page.total));
  reply.type('text/csv; charset=utf-8').send(`${lines.join('\r\n')}\r\n`);
  // the reply is sent: Fastify ignores a handler's value once it was (the type says the JSON page, which it is not)
  return reply as never;
}

/**
 * Answer a list whose items the database wrote as JSON text (the center's `listJson`): the body is spliced from
 * those texts, not parsed and serialised again. `?format=csv` reads the views instead (`list`). The route's
 * response schema still documents the answer; the route-walk test checks every answer against it.
 */
export async function sendListOf<T extends z.ZodObject, Q extends { format?: string | undefined }>(
  request: FastifyRequest,
  reply: FastifyReply,
  item: T,
  query: Q,
  lists: {
    list(query: Omit<Q, 'format'>): Promise<Page<unknown>>;
    listJson(query: Omit<Q, 'format'>): Promise<Page<JsonText>>;
  },
): Promise<never> {
  const service = serviceQuery(query);
  if (query.format === 'csv') return sendPage(request, reply, item, await lists.list(service)) as never;
  const page = await lists.listJson(service);
  const next = page.next === null ? 'null' : JSON.stringify(page.next);
  reply
    .type('application/json; charset=utf-8')
    .send(`{"items":[${page.items.join(',')}],"next":${next},"total":${page.total}}`);
  return reply as never;
}

function csvValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
