import { finding, onContainers } from '../helpers.js';
import type { ParameterisedCheck } from './types.js';

/** An entry ending in `*` is a prefix of the image as written; any other entry must equal it. */
const matches = (entry: string, image: string) =>
  entry.endsWith('*') ? image.startsWith(entry.slice(0, -1)) : entry === image;

/** Images of every container (init and ephemeral too) against a list of exact images and `*` prefixes. */
export const imageExactList: ParameterisedCheck = {
  name: 'image-exact-list',
  control: 'K8S-IMG-01',
  mode: 'add',
  configured: (p) => p.allowedImagesExact.length > 0,
  check: onContainers((c, _pod, ctx) => {
    const image = String(c.container.image ?? '');
    return ctx.params.allowedImagesExact.some((e) => matches(e, image))
      ? undefined
      : finding(`${c.label} image ${image} is not an allowed image`, `${c.path}.image`);
  }),
};
