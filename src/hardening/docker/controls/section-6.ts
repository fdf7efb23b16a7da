import type { Control } from '../types.js';
import { containerResource, define, imageResource } from './helpers.js';

export const section6: readonly Control[] = [
  define({
    id: '6.1',
    legacyId: '6.1',
    title: 'Ensure that image sprawl is avoided',
    section: '6',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Remove images no container uses (docker image rm, docker image prune) and keep only the tags in use.',
    check: (e) => {
      const unused = e.images.filter((i) => !e.imagesInUse.has(i.inspect.Id));
      const evidence = {
        images: e.images.length,
        inUse: e.images.length - unused.length,
        unused: unused.map((i) => imageResource(i).name),
        dangling: unused.filter(
          (i) => i.inspect.RepoTags.length === 0 || i.inspect.RepoTags[0] === '<none>:<none>',
        ).length,
      };
      return unused.length
        ? {
            status: 'fail',
            message: `${unused.length} of ${e.images.length} image(s) are used by no container`,
            resources: unused.map(imageResource),
            evidence,
          }
        : { status: 'pass', message: `all ${e.images.length} image(s) are in use`, evidence };
    },
  }),
  define({
    id: '6.2',
    legacyId: '6.2',
    title: 'Ensure that container sprawl is avoided',
    section: '6',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Remove containers that have exited and are not needed (docker container rm, docker container prune).',
    check: (e) => {
      const stopped = e.containers.filter(
        (c) => c.inspect.State.Status === 'exited' || c.inspect.State.Status === 'dead',
      );
      const created = e.containers.filter((c) => c.inspect.State.Status === 'created');
      const evidence = {
        containers: e.containers.length,
        running: e.containers.filter((c) => c.inspect.State.Running).length,
        exited: stopped.map((c) => c.inspect.Name),
        createdNeverStarted: created.map((c) => c.inspect.Name),
      };
      return stopped.length
        ? {
            status: 'fail',
            message: `${stopped.length} of ${e.containers.length} container(s) have exited and were left behind`,
            resources: stopped.map(containerResource),
            evidence,
          }
        : { status: 'pass', message: 'no exited containers left behind', evidence };
    },
  }),
];
