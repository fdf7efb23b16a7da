import { UserInputError } from '../core/errors.js';
import { chooseFromIndex, parseConfig, parseManifestOrIndex } from './manifest.js';
import { formatTarget, type Target } from './reference.js';
import { RegistryClient } from './registry/client.js';
import { type ImageSource, type LayerRef, type OpenOptions, parsePlatform } from './types.js';

/** An image pulled layer by layer from a registry; nothing is stored on disk. */
export async function openRegistry(
  target: Extract<Target, { transport: 'docker' }>,
  options: OpenOptions,
): Promise<ImageSource> {
  const name = formatTarget(target);
  const client = new RegistryClient(target.registry, target.repository, {
    ...(options.insecureRegistry ? { insecure: true } : {}),
    ...(options.username && options.password
      ? { credentials: { username: options.username, password: options.password } }
      : {}),
    ...(options.dockerConfigDir ? { dockerConfigDir: options.dockerConfigDir } : {}),
  });
  const platform = parsePlatform(options.platform);
  let current = await client.manifest(target.digest ?? target.tag ?? 'latest');
  let parsed = parseManifestOrIndex(name, current.body);
  for (let depth = 0; parsed.kind === 'index'; depth++) {
    if (depth > 4) throw new UserInputError(name, 'index nesting too deep');
    const d = chooseFromIndex(name, parsed.index, platform);
    current = await client.manifest(d.digest);
    parsed = parseManifestOrIndex(name, current.body);
  }
  const { manifest } = parsed;
  const config = parseConfig(`${name} config`, await client.blob(manifest.config.digest));
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers: LayerRef[] = manifest.layers.map((l, i) => ({
    digest: l.digest,
    ...(diffIds[i] ? { diffId: diffIds[i] } : {}),
    ...(l.size !== undefined ? { size: l.size } : {}),
    ...(l.mediaType ? { mediaType: l.mediaType } : {}),
  }));
  return {
    name,
    transport: 'docker',
    digest: manifest.config.digest,
    manifestDigest: current.digest,
    repoTags: target.tag ? [`${target.registry}/${target.repository}:${target.tag}`] : [],
    repoDigests: [`${target.registry}/${target.repository}@${current.digest}`],
    config,
    layers,
    openLayer: (i) => client.blobStream(layers[i]!.digest),
    close: async () => {},
  };
}
