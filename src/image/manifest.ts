import { z } from 'zod';
import { UserInputError } from '../core/errors.js';
import { type ImageConfig, type Platform, platformMatches } from './types.js';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

const descriptor = z.object({
  mediaType: z.string().optional(),
  digest: z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/),
  size: z.number().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() }).optional(),
});
export type Descriptor = z.infer<typeof descriptor>;

const manifestSchema = z.object({
  schemaVersion: z.number().optional(),
  mediaType: z.string().optional(),
  config: descriptor,
  layers: z.array(descriptor),
});
export type Manifest = z.infer<typeof manifestSchema>;

const indexSchema = z.object({
  schemaVersion: z.number().optional(),
  mediaType: z.string().optional(),
  manifests: z.array(descriptor),
});
export type ImageIndex = z.infer<typeof indexSchema>;

export const dockerSaveManifest = z.array(
  z.object({
    Config: z.string(),
    RepoTags: z.array(z.string()).nullish(),
    Layers: z.array(z.string()),
  }),
);

const configSchema = z
  .object({
    architecture: z.string().optional(),
    os: z.string().optional(),
    variant: z.string().optional(),
    created: z.string().optional(),
    config: z
      .object({
        Labels: z.record(z.string(), z.string()).nullish(),
        Env: z.array(z.string()).nullish(),
      })
      .passthrough()
      .nullish(),
    rootfs: z.object({ type: z.string().optional(), diff_ids: z.array(z.string()).optional() }).optional(),
  })
  .passthrough();

function parseJson(what: string, data: Buffer | string): unknown {
  try {
    return JSON.parse(data.toString());
  } catch {
    throw new UserInputError(what, 'is not valid JSON');
  }
}

export function parseConfig(what: string, data: Buffer): ImageConfig {
  const r = configSchema.safeParse(parseJson(what, data));
  if (!r.success) throw new UserInputError(what, 'is not an image config');
  return r.data as ImageConfig;
}

/** A manifest or an index, told apart by shape (mediaType is optional in OCI). */
export function parseManifestOrIndex(
  what: string,
  data: Buffer | string,
): { kind: 'manifest'; manifest: Manifest } | { kind: 'index'; index: ImageIndex } {
  const json = parseJson(what, data) as { manifests?: unknown; schemaVersion?: unknown; fsLayers?: unknown };
  if (json && typeof json === 'object' && Array.isArray(json.manifests)) {
    const r = indexSchema.safeParse(json);
    if (r.success) return { kind: 'index', index: r.data };
  }
  if (json && json.schemaVersion === 1)
    throw new UserInputError(what, 'manifest schema 1 is not supported (deprecated format)');
  const r = manifestSchema.safeParse(json);
  if (!r.success) throw new UserInputError(what, 'is neither an image manifest nor an index');
  return { kind: 'manifest', manifest: r.data };
}

export function parseDockerSaveManifest(what: string, data: Buffer) {
  const r = dockerSaveManifest.safeParse(parseJson(what, data));
  if (!r.success || r.data.length === 0)
    throw new UserInputError(what, 'manifest.json is not a docker save manifest');
  return r.data;
}

/**
 * Pick the entry of an index: by ref name annotation when `ref` is given, else by platform; an index with a
 * single non-attestation entry is taken as is.
 */
export function chooseFromIndex(
  what: string,
  index: ImageIndex,
  platform: Platform,
  ref?: string,
): Descriptor {
  const images = index.manifests.filter(
    (m) => m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest',
  );
  if (ref) {
    const named = images.find(
      (m) =>
        m.annotations?.['org.opencontainers.image.ref.name'] === ref ||
        m.annotations?.['io.containerd.image.name']?.endsWith(`:${ref}`) ||
        m.digest === ref,
    );
    if (!named) throw new UserInputError(what, `no image named ${ref} in the index`);
    return named;
  }
  const fits = images.filter((m) => m.platform === undefined || platformMatches(m.platform, platform));
  const exact = fits.find((m) => m.platform && platformMatches(m.platform, platform));
  const chosen = exact ?? (fits.length === 1 ? fits[0] : undefined);
  if (!chosen) {
    const have = images
      .map((m) => (m.platform ? `${m.platform.os}/${m.platform.architecture}` : '?'))
      .join(', ');
    throw new UserInputError(
      what,
      `no image for platform ${platform.os}/${platform.architecture} in the index (has: ${have || 'none'})`,
    );
  }
  return chosen;
}
