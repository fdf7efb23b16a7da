import fastJsonStringify from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { z } from 'zod';

/**
 * Responses are written by fast-json-stringify from the JSON Schema of each route's zod response schema: only the
 * properties a schema declares are written (what a service returns beyond its schema never reaches a client), and
 * a missing required property fails the request. Validating every response with zod first, as the type provider's
 * serializer does, cost more than the query behind a list page (bench/center.ts); tests check responses against
 * their schemas instead (test/e2e/center.test.ts walks every GET route of the OpenAPI document).
 */
const compiled = new WeakMap<z.ZodType, (data: unknown) => string>();

export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  let stringify = compiled.get(schema);
  if (!stringify) {
    const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
    stringify = fastJsonStringify(json as Parameters<typeof fastJsonStringify>[0]);
    compiled.set(schema, stringify);
  }
  return stringify;
};
