import type { FastifyInstance } from 'fastify';
import { CenterError } from '../../center/index.js';
import { describeShapeProblem, jsonShapeProblem } from '../../core/json-shape.js';

/** Deeper than any request body or document the API takes (reports nest about ten levels). */
const MAX_DEPTH = 64;

/**
 * Path parameters, query strings and bodies with U+0000 in a string, or nested absurdly deep, are refused with 400
 * before validation: PostgreSQL text cannot hold U+0000 (the query would fail with a 500) and recursive walks of a
 * deep body overflow the stack. Runs after authentication, so a forbidden request stays 403.
 */
export function registerInputShape(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const parts = [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const;
    for (const [where, value] of parts) {
      const problem = jsonShapeProblem(value, MAX_DEPTH);
      if (problem) {
        const field = problem.path ? `${where}.${problem.path}` : where;
        throw new CenterError(
          'BULKHEAD_ERR_VALIDATION',
          `${field}: ${describeShapeProblem(problem, MAX_DEPTH)}`,
        );
      }
    }
  });
}
