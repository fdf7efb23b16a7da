import { UserInputError } from '../core/errors.js';
import { openArchive, openOciDir } from './archive.js';
import { openDaemon } from './daemon.js';
import type { Target } from './reference.js';
import { openRegistry } from './registry-source.js';
import type { ImageSource, OpenOptions } from './types.js';

/** Open an image through its transport. `dir:` targets have no layers: use walkDir for them. */
export async function openImage(target: Target, options: OpenOptions = {}): Promise<ImageSource> {
  switch (target.transport) {
    case 'docker-archive':
    case 'oci-archive':
      return openArchive(target.path, options, target.ref);
    case 'oci':
      return openOciDir(target.path, options, target.ref);
    case 'docker-daemon':
      return openDaemon(target.name, options);
    case 'docker':
      return openRegistry(target, options);
    case 'dir':
      throw new UserInputError(`dir:${target.path}`, 'a root file system has no layers');
  }
}
