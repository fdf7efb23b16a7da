import type { FastifyInstance } from 'fastify';
import { UserInputError } from '../core/errors.js';

/** Where a server listens, and how the user named each part (`--host`, `BULKHEAD_PORT`, a config file key). */
export interface ListenAddress {
  host: string;
  port: number;
  /** The input that gave the host, e.g. `--host`; default `host`. */
  hostInput?: string;
  /** The input that gave the port, e.g. `--port`; default `port`. */
  portInput?: string;
}

/** The resolver's answers for a name that does not resolve (getaddrinfo). */
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

/**
 * Why the operating system refused to listen at `at`, in words, as a UserInputError naming the input that chose
 * the host or the port: an address that does not resolve or is not this machine's, a port in use or one the user
 * may not bind. Anything else is returned unchanged (a fault of the server, not of its address).
 */
export function listenError(error: unknown, at: ListenAddress): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  const host = `${at.hostInput ?? 'host'} ${at.host}`;
  const port = `${at.portInput ?? 'port'} ${at.port}`;
  const where = `${at.host.includes(':') ? `[${at.host}]` : at.host}:${at.port}`;
  if (UNRESOLVED.has(code))
    return new UserInputError(host, `cannot listen: the address does not resolve (${code})`, {
      cause: error,
    });
  if (code === 'EADDRNOTAVAIL')
    return new UserInputError(host, `cannot listen: the address is not one of this machine's (${code})`, {
      cause: error,
    });
  if (code === 'EADDRINUSE')
    return new UserInputError(port, `cannot listen on ${where}: the address is already in use (${code})`, {
      cause: error,
    });
  if (code === 'EACCES' || code === 'EPERM')
    return new UserInputError(
      port,
      `cannot listen on ${where}: permission denied (${code})${at.port > 0 && at.port < 1024 ? ': a privileged port needs root or CAP_NET_BIND_SERVICE' : ''}`,
      { cause: error },
    );
  return error;
}

/** `app.listen` at `at`; a refusal of the address or port is a UserInputError naming it (listenError). */
export async function listenAt(app: FastifyInstance, at: ListenAddress): Promise<string> {
  try {
    return await app.listen({ host: at.host, port: at.port });
  } catch (error) {
    throw listenError(error, at);
  }
}
