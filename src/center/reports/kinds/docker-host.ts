import { containerKey, daemonKey, hostKey } from '../../inventory/keys.js';
import type { ResourceSpec } from '../filing.js';
import { invalidReport } from '../kind.js';

/** The host a Docker document is about: `origin.host`, else (older documents) the hostname the host reported. */
export function dockerHostName(doc: {
  origin?: { host?: string | undefined } | undefined;
  host?: { hostname?: string | undefined };
}): string {
  const name = doc.origin?.host ?? doc.host?.hostname;
  if (!name) throw invalidReport('origin.host', 'a Docker host report must name its host');
  return name;
}

/** The host and its daemon, the top of the hosts family. */
export function hostAndDaemon(
  hostname: string,
  attributes: { host?: Record<string, unknown>; daemon?: Record<string, unknown> },
  assessed: boolean,
): ResourceSpec[] {
  return [
    {
      key: hostKey(hostname),
      family: 'hosts',
      type: 'host',
      name: hostname,
      parent: null,
      attributes: attributes.host ?? {},
      ...(assessed ? { assessed: true } : {}),
    },
    {
      key: daemonKey(hostname),
      family: 'hosts',
      type: 'daemon',
      name: `${hostname} dockerd`,
      parent: hostKey(hostname),
      attributes: attributes.daemon ?? {},
      ...(assessed ? { assessed: true } : {}),
    },
  ];
}

/** Docker names a container `/name`; the inventory shows it without the slash. */
export function containerSpec(
  hostname: string,
  c: { id: string; name?: string | undefined; imageId?: string | undefined },
  attributes: Record<string, unknown>,
  assessed: boolean,
): ResourceSpec {
  return {
    key: containerKey(hostname, c.id),
    family: 'hosts',
    type: 'container',
    name: (c.name ?? c.id.slice(0, 12)).replace(/^\//, ''),
    parent: daemonKey(hostname),
    attributes: { id: c.id, ...attributes },
    ...(c.imageId ? { imageRef: c.imageId } : {}),
    ...(assessed ? { assessed: true } : {}),
  };
}

/** Prefix of the keys a complete report of the host covers. */
export const containersOf = (hostname: string) => `container:${hostname}/`;
