import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { UserInputError } from '../../core/errors.js';

export interface Credentials {
  username: string;
  password: string;
  /** An OAuth2 refresh token (a credential helper's `<token>` user): exchanged at the token realm by POST. */
  identityToken?: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** Docker Hub's key in config.json and the server URL its credential helpers are asked for. */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
const DOCKER_HUB_HOSTS = ['index.docker.io', 'registry-1.docker.io', 'docker.io'];

function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}

/** What Docker's helper names look like (`osxkeychain`, `ecr-login`, `gcloud`): never a path. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `program` in an absolute directory of PATH. Relative entries (`.`, an empty one) are skipped: a helper named in
 * a config file must never run from the directory the command was started in.
 */
function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Runs `docker-credential-NAME get` with the server URL on stdin (the Docker credential-helper protocol) and
 * returns its `{Username, Secret}`; undefined when the helper has no credentials for the server.
 */
function fromHelper(name: string, server: string, configFile: string): Credentials | undefined {
  if (!HELPER_NAME.test(name) || name.includes('..'))
    throw new UserInputError(
      configFile,
      `credential helper name ${JSON.stringify(name)} is not a plain name (letters, digits, ".", "_", "-")`,
    );
  const program = `docker-credential-${name}`;
  const path = onPath(program);
  if (!path) throw new UserInputError(configFile, `credential helper ${program} is not on PATH`);
  let out: string;
  try {
    out = execFileSync(path, ['get'], {
      input: server,
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new UserInputError(configFile, `credential helper ${program} is not on PATH`);
    const said = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
    // every helper of docker/docker-credential-helpers says this when it holds nothing for the server
    if (/credentials not found/i.test(said)) return undefined;
    throw new UserInputError(
      configFile,
      `credential helper ${program} failed for ${server}: ${said.split('\n')[0] || e.code || 'no output'}`,
    );
  }
  let answer: { Username?: string; Secret?: string };
  try {
    answer = JSON.parse(out);
  } catch {
    throw new UserInputError(configFile, `credential helper ${program} printed no JSON for ${server}`);
  }
  if (!answer.Secret) return undefined;
  if (answer.Username === '<token>') return { username: '', password: '', identityToken: answer.Secret };
  return { username: answer.Username ?? '', password: answer.Secret };
}

/**
 * Credentials for a registry from Docker's `config.json`, in Docker's order: the registry's `credHelpers`
 * entry, else the `credsStore` helper, else the `auths` entry (`auth`, `username`/`password` or
 * `identitytoken`). Docker Hub's entries are keyed `https://index.docker.io/v1/`. Helpers run only when called.
 */
export function dockerConfigCredentials(registry: string, configDir?: string): Credentials | undefined {
  const dir = configDir ?? process.env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return undefined;
  let config: DockerConfig;
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) ?? {};
  } catch {
    return undefined;
  }
  const hub = registry === 'registry-1.docker.io';
  const want = hub ? DOCKER_HUB_HOSTS : [registry];
  const server = hub ? DOCKER_HUB_SERVER : registry;

  const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => want.includes(hostOf(key)))?.[1];
  if (helper) return fromHelper(helper, server, file);
  if (config.credsStore) {
    const stored = fromHelper(config.credsStore, server, file);
    if (stored) return stored;
  }
  for (const [key, value] of Object.entries(config.auths ?? {})) {
    if (!want.includes(hostOf(key))) continue;
    if (value.identitytoken) return { username: '', password: '', identityToken: value.identitytoken };
    if (value.username && value.password) return { username: value.username, password: value.password };
    if (value.auth) {
      const text = Buffer.from(value.auth, 'base64').toString('utf8');
      const colon = text.indexOf(':');
      if (colon > 0) return { username: text.slice(0, colon), password: text.slice(colon + 1) };
    }
  }
  return undefined;
}

/** Parse `Bearer realm="…",service="…",scope="…"` / `Basic realm="…"`. */
export function parseChallenge(
  header: string | null,
): { scheme: string; params: Record<string, string> } | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g))
    params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme: m[1]!.toLowerCase(), params };
}
