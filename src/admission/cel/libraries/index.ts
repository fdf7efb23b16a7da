import type { CelLibrary } from '../library.js';
import { cidrLibrary } from './cidr.js';
import { comprehensionsLibrary } from './comprehensions.js';
import { formatLibrary } from './format.js';
import { ipLibrary } from './ip.js';
import { listsLibrary } from './lists.js';
import { quantityLibrary } from './quantity.js';
import { regexLibrary } from './regex.js';
import { semverLibrary } from './semver.js';
import { setsLibrary } from './sets.js';
import { stringsLibrary } from './strings.js';
import { urlLibrary } from './url.js';

/** The Kubernetes CEL libraries Bulkhead adds to the CEL environment, one file each. */
export const CEL_LIBRARIES: readonly CelLibrary[] = [
  cidrLibrary,
  comprehensionsLibrary,
  formatLibrary,
  ipLibrary,
  listsLibrary,
  quantityLibrary,
  regexLibrary,
  semverLibrary,
  setsLibrary,
  stringsLibrary,
  urlLibrary,
];
