import type { Command } from 'commander';
import { ExternalServiceError, errorMessage, redactUrl, UserInputError } from '../core/errors.js';
import { readInputText } from '../core/input-file.js';
import type { CliContext } from './context.js';

/** `--push URL` and where its token comes from; every command that produces an ingestible document takes them. */
export interface PushFlags {
  push?: string;
  tokenFile?: string;
}

/** Where to send documents, with the bearer token resolved. */
export interface PushTarget {
  /** The URL as given (shown in messages, secrets removed). */
  url: string;
  /** `URL/api/v1/reports`. */
  endpoint: string;
  /** `URL/api/v1`, for the reads that follow a push (an image's verdict). */
  api: string;
  token: string;
}

/** The center's answer to one accepted report. */
export interface PushReceipt {
  id: string;
  kind: string;
  resources: number;
}

/** Declares --push and --token-file on `command` (image scan, bench docker, k8s scan, admission audit, runtime detect). */
export function withPushOptions(command: Command): Command {
  return command
    .option('--push <url>', 'also send the document(s) to a Bulkhead center at URL (POST URL/api/v1/reports)')
    .option(
      '--token-file <file>',
      "file whose first line is the center's API token for --push (default $BULKHEAD_TOKEN; never a flag value)",
    );
}

/**
 * The push target the flags ask for, or undefined without --push. Checked before the assessment runs, so that a
 * missing token is a usage error and not a lost scan. The token is never taken from the command line.
 */
export function pushTargetOf(flags: PushFlags, env: NodeJS.ProcessEnv = process.env): PushTarget | undefined {
  if (flags.push === undefined) {
    if (flags.tokenFile !== undefined) throw new UserInputError('--token-file', 'only used with --push');
    return undefined;
  }
  let base: URL;
  try {
    base = new URL(flags.push);
  } catch {
    throw new UserInputError('--push', `"${flags.push}" is not a URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new UserInputError('--push', `"${redactUrl(flags.push)}" is not an http:// or https:// URL`);
  const token = flags.tokenFile ? tokenFromFile(flags.tokenFile) : env.BULKHEAD_TOKEN?.trim();
  if (!token)
    throw new UserInputError('--push', 'needs an API token: set BULKHEAD_TOKEN or give --token-file FILE');
  // as the user wrote it, credentials removed (redactUrl would add a trailing slash to a bare origin)
  const redacted = redactUrl(flags.push);
  const url = !flags.push.endsWith('/') && redacted.endsWith('/') ? redacted.slice(0, -1) : redacted;
  const api = `${flags.push.replace(/\/+$/, '')}/api/v1`;
  return { url, endpoint: `${api}/reports`, api, token };
}

function tokenFromFile(file: string): string {
  let text: string;
  try {
    text = readInputText(file, { maxBytes: 1 << 20, what: 'a token file' });
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    throw new UserInputError(file, `cannot read the token file: ${errorMessage(error)}`);
  }
  const token = (text.split(/\r?\n/)[0] ?? '').trim();
  if (!token) throw new UserInputError(file, 'the token file is empty');
  return token;
}

/**
 * POST one document as JSON to the center. A refused connection or a non-2xx answer is an ExternalServiceError
 * naming the URL and, when the center says it, its `{error:{code,message}}`.
 */
export async function pushDocument(target: PushTarget, document: object): Promise<PushReceipt> {
  const body = await callCenter(target, 'push', target.endpoint, {
    method: 'POST',
    body: JSON.stringify(document),
  });
  const receipt = body as Partial<PushReceipt> | undefined;
  return {
    id: String(receipt?.id ?? ''),
    kind: String(receipt?.kind ?? (document as { kind?: string }).kind ?? ''),
    resources: Number(receipt?.resources ?? 0),
  };
}

/** The center's verdict on an image (GET /api/v1/images/{digest}/verdict): its view after its exceptions. */
export interface CenterVerdict {
  verdict: 'pass' | 'fail' | 'not_assessed';
  severity: string;
  open: Record<string, number>;
  excepted: number;
}

export async function fetchVerdict(
  target: PushTarget,
  digest: string,
  severity: string,
): Promise<CenterVerdict> {
  const url = `${target.api}/images/${encodeURIComponent(digest)}/verdict?severity=${encodeURIComponent(severity)}`;
  return (await callCenter(target, 'ask the verdict', url, { method: 'GET' })) as CenterVerdict;
}

/**
 * One request to the center with the push token. A refused connection or a non-2xx answer is an
 * ExternalServiceError naming the URL and, when the center says it, its `{error:{code,message}}`.
 */
async function callCenter(
  target: PushTarget,
  what: string,
  url: string,
  init: { method: 'GET' | 'POST'; body?: string },
): Promise<unknown> {
  // loaded on use: every scan command declares --push, few runs use it
  const { request } = await import('undici');
  let status: number;
  let text: string;
  try {
    const res = await request(url, {
      method: init.method,
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/json',
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ExternalServiceError(
      target.url,
      `cannot ${what}: ${code === 'ECONNREFUSED' ? 'connection refused' : errorMessage(error)}`,
      { cause: error },
    );
  }
  const body = parseJson(text);
  if (status < 200 || status > 299) {
    const e = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const detail =
      e && typeof e.message === 'string'
        ? `${typeof e.code === 'string' ? `${e.code}: ` : ''}${e.message}`
        : text.slice(0, 200).replace(/\s+/g, ' ').trim();
    const verb = what === 'push' ? 'push refused' : `${what}: refused`;
    throw new ExternalServiceError(target.url, `${verb}: HTTP ${status}${detail ? ` ${detail}` : ''}`, {
      status,
    });
  }
  return body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Push the documents in order (inventories before the assessments that refer to them); a notice for each. */
export async function pushDocuments(ctx: CliContext, target: PushTarget, documents: readonly object[]) {
  for (const document of documents) {
    const receipt = await pushDocument(target, document);
    ctx.notice(`pushed ${(document as { kind?: string }).kind} to ${target.url}: report ${receipt.id}`);
  }
}
