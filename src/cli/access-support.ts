import type { AccessService, Principal } from '../center/index.js';
import type { CliContext } from './context.js';

/**
 * Run an access use case on the store directly (no server needed; a running serve sees the change on its next
 * request). The center's refusals become one-line input errors naming the command.
 */
export async function accessCall<T>(
  ctx: CliContext,
  what: string,
  fn: (access: AccessService, principal: Principal) => Promise<T>,
): Promise<T> {
  const { createAccessService, CLI_PRINCIPAL } = await import('../center/access/service.js');
  const { CenterError } = await import('../center/errors.js');
  const { UserInputError } = await import('../core/errors.js');
  return ctx.withStore(async (store) => {
    try {
      return await fn(createAccessService({ store, clock: () => new Date() }), CLI_PRINCIPAL);
    } catch (error) {
      if (error instanceof CenterError && error.code !== 'BULKHEAD_ERR_INTERNAL') {
        throw new UserInputError(what, error.message);
      }
      throw error;
    }
  });
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
