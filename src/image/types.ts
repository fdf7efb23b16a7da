import type { Readable } from 'node:stream';

/** OS/architecture an image was built for. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** One layer of an image, in application order. */
export interface LayerRef {
  /** Digest of the blob as stored (compressed), or of the tar for dir-less transports that only know the diff id. */
  digest: string;
  /** Uncompressed digest from the image config, when known. */
  diffId?: string;
  size?: number;
  mediaType?: string;
}

/** The parts of an image config Bulkhead uses. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  config?: { Labels?: Record<string, string> | null; Env?: string[] | null };
  rootfs?: { type?: string; diff_ids?: string[] };
  created?: string;
  /** Build history, one entry per instruction; `empty_layer` entries made no layer. */
  history?: { created_by?: string; empty_layer?: boolean }[];
}

/** An image opened through any transport: its identity, config and a way to stream each layer once. */
export interface ImageSource {
  /** The target as the user wrote it (without secrets). */
  name: string;
  transport: string;
  /** Image id: the config digest (`sha256:…`). */
  digest: string;
  /** Manifest digest when the transport knows it (registry, OCI layout). */
  manifestDigest?: string;
  repoTags: string[];
  /** `repository@sha256:…` names the image has in registries, when the transport knows them. */
  repoDigests?: string[];
  config: ImageConfig;
  layers: LayerRef[];
  /** A stream of the layer blob as stored (possibly compressed); verified against its digest when possible. */
  openLayer(index: number): Promise<Readable>;
  close(): Promise<void>;
}

/** Options every transport accepts. */
export interface OpenOptions {
  /** `os/arch[/variant]`, default linux/amd64. */
  platform?: string;
  insecureRegistry?: boolean;
  /** Where to read `config.json` from (default $DOCKER_CONFIG or ~/.docker). */
  dockerConfigDir?: string;
  /** Engine API socket (default /var/run/docker.sock or $DOCKER_HOST unix://…). */
  dockerSocket?: string;
  username?: string;
  password?: string;
  /** Progress for downloads: called with bytes as they arrive. */
  onBytes?: (n: number) => void;
}

export function parsePlatform(text: string | undefined): Platform {
  const [os = 'linux', architecture = 'amd64', variant] = (text ?? 'linux/amd64').split('/');
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** Whether a manifest list entry fits the wanted platform (variant only checked when both have one). */
export function platformMatches(entry: Partial<Platform> | undefined, want: Platform): boolean {
  if (!entry) return false;
  if (entry.os !== want.os || entry.architecture !== want.architecture) return false;
  return !want.variant || !entry.variant || want.variant === entry.variant;
}
