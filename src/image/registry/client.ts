import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Agent, type Dispatcher, fetch } from 'undici';
import { ExternalServiceError, errorMessage, UserInputError } from '../../core/errors.js';
import { verifiedStream } from '../archive.js';
import { MEDIA } from '../manifest.js';
import { type Credentials, dockerConfigCredentials, parseChallenge } from './credentials.js';

export interface RegistryOptions {
  insecure?: boolean;
  credentials?: Credentials;
  dockerConfigDir?: string;
  /** Attempts for 429/5xx/network failures (default 4). */
  attempts?: number;
  /** First backoff in ms (doubles each time). */
  backoffMs?: number;
}

const ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest].join(', ');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Distribution v2 / OCI distribution client for one registry and repository (pull only). */
export class RegistryClient {
  private authorization: string | undefined;
  private base: string | undefined;
  private readonly dispatcher: Dispatcher | undefined;
  /** Resolved on the first challenge (a credential helper may be slow or prompt): undefined = not yet. */
  private resolved: { credentials: Credentials | undefined } | undefined;

  constructor(
    readonly registry: string,
    readonly repository: string,
    private readonly options: RegistryOptions = {},
  ) {
    this.base = options.insecure ? undefined : `https://${registry}`;
    this.dispatcher = options.insecure ? new Agent({ connect: { rejectUnauthorized: false } }) : undefined;
  }

  private get credentials(): Credentials | undefined {
    this.resolved ??= {
      credentials:
        this.options.credentials ?? dockerConfigCredentials(this.registry, this.options.dockerConfigDir),
    };
    return this.resolved.credentials;
  }

  /**
   * With --insecure-registry, HTTPS without certificate checks is tried first and plain HTTP when the
   * registry does not speak TLS (as Docker does for insecure registries).
   */
  private async baseUrl(): Promise<string> {
    if (this.base) return this.base;
    try {
      const res = await fetch(`https://${this.registry}/v2/`, {
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      this.base = `https://${this.registry}`;
    } catch {
      this.base = `http://${this.registry}`;
    }
    return this.base;
  }

  private ref(what: string): string {
    return `${this.registry}/${this.repository}${what}`;
  }

  private async send(url: string, accept: string): Promise<Response> {
    const attempts = this.options.attempts ?? 4;
    let delay = this.options.backoffMs ?? 250;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = (await fetch(url, {
          headers: { accept, ...(this.authorization ? { authorization: this.authorization } : {}) },
          redirect: 'follow',
          ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
        })) as unknown as Response;
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(cause?.code ?? ''))
          throw new ExternalServiceError(
            this.registry,
            `TLS certificate not trusted (${cause?.code}); use --insecure-registry for a registry with a self-signed certificate`,
          );
        if (attempt < attempts) {
          await sleep(delay);
          delay *= 2;
          continue;
        }
        throw new ExternalServiceError(
          this.registry,
          `registry unreachable (${cause?.code ?? cause?.message ?? errorMessage(error)})`,
        );
      }
      if ((res.status === 429 || res.status >= 500) && attempt < attempts) {
        await res.body?.cancel();
        const after = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 10_000) : delay);
        delay *= 2;
        continue;
      }
      return res;
    }
  }

  /** Answer a 401 challenge: Basic with the credentials, or fetch a Bearer token from the realm. */
  private async authenticate(res: Response, scope: string): Promise<boolean> {
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    if (!challenge) return false;
    const credentials = this.credentials;
    const basic =
      credentials && !credentials.identityToken
        ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
        : undefined;
    if (challenge.scheme === 'basic') {
      if (!basic || this.authorization === basic) return false;
      this.authorization = basic;
      return true;
    }
    if (challenge.scheme !== 'bearer' || !challenge.params.realm) return false;
    const url = tokenRealm(challenge.params.realm, this.registry, this.options.insecure === true);
    const service = challenge.params.service;
    const wanted = challenge.params.scope ?? scope;
    // an identity token is an OAuth2 refresh token: POSTed to the realm (the Docker CLI's flow); else a GET,
    // with Basic credentials when there are any
    const request = credentials?.identityToken
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: credentials.identityToken,
            client_id: 'bulkhead',
            ...(service ? { service } : {}),
            scope: wanted,
          }).toString(),
        }
      : { method: 'GET', headers: basic ? { authorization: basic } : {} };
    if (request.method === 'GET') {
      if (service) url.searchParams.set('service', service);
      url.searchParams.set('scope', wanted);
    }
    let tokenRes: Response;
    try {
      tokenRes = (await fetch(url, {
        ...request,
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      })) as unknown as Response;
    } catch (error) {
      throw new ExternalServiceError(url.host, `token service unreachable (${errorMessage(error)})`);
    }
    if (!tokenRes.ok) return false;
    const body = (await tokenRes.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) return false;
    const next = `Bearer ${token}`;
    if (next === this.authorization) return false;
    this.authorization = next;
    return true;
  }

  private async get(path: string, accept: string, what: string): Promise<Response> {
    const url = `${await this.baseUrl()}/v2/${this.repository}/${path}`;
    let res = await this.send(url, accept);
    for (let i = 0; i < 2 && res.status === 401; i++) {
      await res.body?.cancel();
      if (!(await this.authenticate(res, `repository:${this.repository}:pull`))) break;
      res = await this.send(url, accept);
    }
    if (res.ok) return res;
    await res.body?.cancel();
    if (res.status === 401 || res.status === 403)
      throw new UserInputError(
        this.ref(what),
        `${res.status === 401 ? 'authentication required or refused' : 'access denied'} (HTTP ${res.status})${this.credentials ? '' : '; no credentials configured'}`,
      );
    if (res.status === 404) throw new UserInputError(this.ref(what), 'not found in the registry (HTTP 404)');
    throw new ExternalServiceError(this.registry, `HTTP ${res.status} for ${path}`, { status: res.status });
  }

  /** A manifest or index by tag or digest; the body is verified when asked by digest. */
  async manifest(reference: string): Promise<{ body: Buffer; digest: string; mediaType: string }> {
    const sep = reference.includes(':') ? '@' : ':';
    const res = await this.get(`manifests/${reference}`, ACCEPT, `${sep}${reference}`);
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > 8 << 20) throw new UserInputError(this.ref(reference), 'manifest too large');
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    if (reference.startsWith('sha256:') && digest !== reference)
      throw new UserInputError(this.ref(`@${reference}`), `manifest digest mismatch (got ${digest})`);
    return { body, digest, mediaType: res.headers.get('content-type') ?? '' };
  }

  /** A small blob (config), verified. */
  async blob(digest: string, max = 16 << 20): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of await this.blobStream(digest)) {
      size += (c as Buffer).length;
      if (size > max) throw new UserInputError(this.ref(`@${digest}`), 'blob too large');
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** A blob as a stream that fails at its end unless its content matches the digest. */
  async blobStream(digest: string): Promise<Readable> {
    const res = await this.get(`blobs/${digest}`, '*/*', `@${digest}`);
    if (!res.body) throw new ExternalServiceError(this.registry, `empty body for blob ${digest}`);
    return verifiedStream(this.ref(`@${digest}`), Readable.fromWeb(res.body as never), digest);
  }
}

/**
 * The token service a registry's challenge names. It must be HTTPS: a realm on `http://` would receive the
 * credentials in clear, so only a registry the user marked `--insecure-registry` may name one. A realm on another
 * host than the registry is followed, as Docker does (Docker Hub's tokens come from auth.docker.io), and gets the
 * same credentials (docs/images.md says so).
 */
export function tokenRealm(realm: string, registry: string, insecure: boolean): URL {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new ExternalServiceError(registry, `the token realm "${realm}" is not a URL`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && insecure) return url;
  throw new ExternalServiceError(
    registry,
    `refused token realm ${url.protocol}//${url.host}: credentials go only to an https realm (or to any with --insecure-registry)`,
  );
}
