import type { ImageConfig } from './types.js';

/** What an image's config says of the image it was built on. */
export interface BaseHint {
  /** `org.opencontainers.image.base.name` (e.g. `docker.io/library/debian:12.8`), when the build set it. */
  name?: string;
  /** `org.opencontainers.image.base.digest`, when the build set it. */
  digest?: string;
  /** How many of the image's layers (from the bottom) came with the base: 0 when the history does not tell. */
  layers: number;
}

const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

/** A base image's closing `CMD`, as the classic builder (`#(nop)  CMD`) or BuildKit (`CMD`) records it. */
const isCmd = (createdBy: string | undefined) => /^(\/bin\/sh -c #\(nop\)\s+)?CMD\b/.test(createdBy ?? '');

/**
 * How many layers the base image gave, read from the history as Trivy guesses it: below the image's own trailing
 * instructions that made no layer (its CMD, ENTRYPOINT…), the last layer-less `CMD` closes the base image; every
 * layer made before it is the base's. 0 when no such `CMD` is found or the history does not match the layers.
 * @example a `FROM debian` image: `ADD file:… in /`, `CMD ["bash"]`, `RUN apt-get …`, `CMD ["app"]` → 1
 */
export function baseLayerCount(config: ImageConfig, layers: number): number {
  const history = config.history ?? [];
  if (history.filter((h) => !h.empty_layer).length !== layers) return 0;
  let ownSeen = false;
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    if (!h.empty_layer) ownSeen = true;
    else if (ownSeen && isCmd(h.created_by)) return history.slice(0, i).filter((e) => !e.empty_layer).length;
  }
  return 0;
}

/** The base image from the config's OCI base labels and its history; undefined when neither tells anything. */
export function baseHint(config: ImageConfig, layers: number): BaseHint | undefined {
  const labels = config.config?.Labels ?? {};
  const name = labels[BASE_NAME]?.trim();
  const digest = labels[BASE_DIGEST]?.trim();
  const count = baseLayerCount(config, layers);
  if (!name && !digest && count === 0) return undefined;
  return { ...(name ? { name } : {}), ...(digest ? { digest } : {}), layers: count };
}
