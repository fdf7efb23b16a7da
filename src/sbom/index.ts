export {
  type Artifact,
  type CatalogOptions,
  type CatalogResult,
  catalogImage,
  catalogView,
  wantsOf,
} from './catalog.js';
export { CATALOGERS } from './catalogers/index.js';
export { toCycloneDx } from './cyclonedx.js';
export { detectOs, releaseOf } from './os.js';
export { toSpdx } from './spdx.js';
export type { Cataloger, CatalogerKind, OsInfo, Package, PurlType } from './types.js';
