import { z } from 'zod';
import { hostKey } from '../../inventory/keys.js';
import { fileResources, retireAbsent } from '../filing.js';
import { defineKind } from '../kind.js';
import { complete, engine, origin } from './common.js';
import { containerSpec, containersOf, dockerHostName, hostAndDaemon } from './docker-host.js';

const HostInventory = z.object({
  kind: z.literal('HostInventory'),
  engine,
  origin,
  complete,
  host: z.looseObject({
    hostname: z.string().optional(),
    operatingSystem: z.string().optional(),
    kernelVersion: z.string().optional(),
  }),
  daemon: z.looseObject({
    version: z.string().optional(),
    apiVersion: z.string().optional(),
    images: z.number().optional(),
    containers: z.number().optional(),
    running: z.number().optional(),
  }),
  images: z
    .array(
      z.looseObject({
        id: z.string(),
        repoTags: z.array(z.string()).nullish(),
        repoDigests: z.array(z.string()).nullish(),
      }),
    )
    .default([]),
  containers: z.array(
    z.looseObject({
      id: z.string().min(1),
      name: z.string().optional(),
      image: z.string().optional(),
      imageId: z.string().optional(),
      state: z.string().optional(),
      running: z.boolean().optional(),
      created: z.string().optional(),
    }),
  ),
});
type HostInventory = z.infer<typeof HostInventory>;

/** What a Docker host runs. Inventory only: it assesses nothing, so health comes from the benchmark and scans. */
export const hostInventoryKind = defineKind<HostInventory>({
  kind: 'HostInventory',
  schema: HostInventory,
  engine: (doc) => doc.engine ?? 'docker-benchmark',
  scope: (doc) => hostKey(dockerHostName(doc)),
  apply: async (doc, ctx) => {
    const hostname = dockerHostName(doc);
    const { hostname: _h, ...host } = doc.host;
    await fileResources(ctx, [
      ...hostAndDaemon(hostname, { host, daemon: { ...doc.daemon, imageCount: doc.images.length } }, false),
      ...doc.containers.map((c) =>
        containerSpec(
          hostname,
          c,
          {
            ...(c.image ? { image: c.image } : {}),
            ...(c.imageId ? { imageId: c.imageId } : {}),
            ...(c.state ? { state: c.state } : {}),
            ...(c.running !== undefined ? { running: c.running } : {}),
            ...(c.created ? { created: c.created } : {}),
          },
          false,
        ),
      ),
    ]);
    if (doc.complete) await retireAbsent(ctx, [containersOf(hostname)]);
  },
});
