export { DEFAULT_LIMITS, type ExpansionLimits } from './decompress.js';
export { walkDir } from './dir.js';
export { FileView, type Probe, type Skipped, type ViewEntry, type Want, type WantFn } from './file-view.js';
export { applyLayer, type WalkOptions, walkLayers } from './layer-walk.js';
export { openImage } from './open.js';
export { formatTarget, parseRegistryReference, parseTarget, type Target } from './reference.js';
export { RegistryClient } from './registry/client.js';
export type { ImageConfig, ImageSource, LayerRef, OpenOptions, Platform } from './types.js';
