import { existsSync, statSync } from 'node:fs';
import { UserInputError } from '../core/errors.js';

export type Target =
  | { transport: 'docker-archive' | 'oci-archive'; path: string; ref?: string }
  | { transport: 'oci'; path: string; ref?: string }
  | { transport: 'dir'; path: string }
  | { transport: 'docker-daemon'; name: string }
  | { transport: 'docker'; registry: string; repository: string; tag?: string; digest?: string };

const DOCKER_HUB = 'registry-1.docker.io';

/** Parse a registry reference `[host[:port]/]repo[:tag][@digest]` the way Docker does. */
export function parseRegistryReference(text: string): Extract<Target, { transport: 'docker' }> {
  let rest = text.replace(/^\/\//, '');
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest))
      throw new UserInputError(text, 'invalid digest in image reference');
  }
  const slash = rest.indexOf('/');
  let registry = DOCKER_HUB;
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    rest = rest.slice(slash + 1);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (registry === DOCKER_HUB && !rest.includes('/')) rest = `library/${rest}`;
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(rest))
    throw new UserInputError(text, 'invalid repository name in image reference');
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) throw new UserInputError(text, 'invalid tag');
  if (!tag && !digest) tag = 'latest';
  return {
    transport: 'docker',
    registry,
    repository: rest,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** Split `PATH[:REF]` where PATH may itself contain colons only if it exists as given. */
function pathAndRef(text: string): { path: string; ref?: string } {
  if (existsSync(text)) return { path: text };
  const colon = text.lastIndexOf(':');
  if (colon > 0 && existsSync(text.slice(0, colon)))
    return { path: text.slice(0, colon), ref: text.slice(colon + 1) };
  return { path: text };
}

/**
 * Parse a target as written on the command line (CONTRACTS.md "Images"). A bare reference means docker://,
 * but a path to an existing file or directory is sniffed.
 */
export function parseTarget(text: string): Target {
  const m = /^(docker-archive|oci-archive|oci|dir|docker-daemon|docker):(.*)$/.exec(text);
  if (m) {
    const [, transport, rest = ''] = m;
    if (rest === '') throw new UserInputError(text, 'empty target after transport');
    switch (transport) {
      case 'docker':
        return parseRegistryReference(rest);
      case 'docker-daemon':
        return { transport: 'docker-daemon', name: rest };
      case 'dir':
        return { transport: 'dir', path: rest };
      default: {
        const { path, ref } = pathAndRef(rest);
        return {
          transport: transport as 'docker-archive' | 'oci-archive' | 'oci',
          path,
          ...(ref ? { ref } : {}),
        };
      }
    }
  }
  if (existsSync(text)) {
    const st = statSync(text);
    if (st.isDirectory())
      return existsSync(`${text}/oci-layout`) || existsSync(`${text}/index.json`)
        ? { transport: 'oci', path: text }
        : { transport: 'dir', path: text };
    return { transport: 'docker-archive', path: text };
  }
  // something written as a path (or an archive file name) that does not exist is a missing file, not a
  // malformed registry reference
  if (/^(\.{0,2}\/|~)/.test(text) || /\.(tar|tar\.gz|tgz|oci)$/i.test(text))
    throw new UserInputError(text, 'no such file or directory');
  return parseRegistryReference(text);
}

/** A target written back without secrets, for reports. */
export function formatTarget(t: Target): string {
  switch (t.transport) {
    case 'docker':
      return `docker://${t.registry}/${t.repository}${t.tag ? `:${t.tag}` : ''}${t.digest ? `@${t.digest}` : ''}`;
    case 'docker-daemon':
      return `docker-daemon:${t.name}`;
    case 'dir':
      return `dir:${t.path}`;
    default:
      return `${t.transport}:${t.path}${t.ref ? `:${t.ref}` : ''}`;
  }
}
