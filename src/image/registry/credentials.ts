import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  username: string;
  password: string;
}

function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}

/**
 * Credentials for a registry from Docker's `config.json` (`auths` only; credential helpers are not run).
 * Docker Hub's entry is keyed `https://index.docker.io/v1/`.
 */
export function dockerConfigCredentials(registry: string, configDir?: string): Credentials | undefined {
  const dir = configDir ?? process.env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return undefined;
  let auths: Record<string, { auth?: string; username?: string; password?: string }>;
  try {
    auths = JSON.parse(readFileSync(file, 'utf8')).auths ?? {};
  } catch {
    return undefined;
  }
  const want =
    registry === 'registry-1.docker.io'
      ? ['index.docker.io', 'registry-1.docker.io', 'docker.io']
      : [registry];
  for (const [key, value] of Object.entries(auths)) {
    if (!want.includes(hostOf(key))) continue;
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
