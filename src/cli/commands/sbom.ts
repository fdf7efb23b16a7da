import type { Command } from 'commander';
import { envelope } from '../../core/envelope.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';
import { catalogOptionsOf, type ImageSourceFlags, withImageSourceOptions } from '../image-source-options.js';
import { createProgress } from '../progress.js';

type SbomOptions = ImageSourceFlags;

async function sbom(ctx: CliContext, target: string, opts: SbomOptions) {
  const [{ catalogImage, osOwnedNotice }, { toCycloneDx }, { toSpdx }] = await Promise.all([
    import('../../sbom/catalog.js'),
    import('../../sbom/cyclonedx.js'),
    import('../../sbom/spdx.js'),
  ]);
  const progress = createProgress(ctx, 'layers');
  let layer = 'pulling';
  let bytes = 0;
  let shown = 0;
  let result: Awaited<ReturnType<typeof catalogImage>>;
  try {
    result = await catalogImage(target, {
      ...(await catalogOptionsOf(opts, ctx.globals.home)),
      onLayer: (i, total) => {
        layer = `layer ${i + 1}/${total}`;
        progress.total(total);
        progress.label(layer);
        if (i > 0) progress.advance();
      },
      // pulls (registry, daemon export) and layer reads report bytes as they stream
      onBytes: (n) => {
        bytes += n;
        if (bytes - shown >= 4 << 20) {
          shown = bytes;
          progress.label(`${layer} ${(bytes / 2 ** 20).toFixed(0)} MiB`);
        }
      },
    });
  } finally {
    progress.stop();
  }
  for (const s of result.skipped) ctx.notice(`warning: ${s.path}: ${s.reason}`);
  const ownedNotice = osOwnedNotice(result);
  if (ownedNotice) ctx.notice(ownedNotice);
  const doc = envelope('PackageList', {
    artifact: result.artifact,
    detectionPriority: result.detectionPriority,
    packages: result.packages,
  });
  ctx.emit({
    document: doc,
    table: () => ({
      title: `${result.artifact.name}${result.artifact.os ? ` (${result.artifact.os.family} ${result.artifact.os.fullVersion ?? result.artifact.os.version})` : ''}: ${result.packages.length} packages`,
      columns: [
        { key: 'name', header: 'NAME' },
        { key: 'version', header: 'VERSION' },
        { key: 'type', header: 'TYPE' },
        { key: 'path', header: 'PATH' },
      ],
      sections: [
        {
          rows: result.packages.map((p) => ({
            name: p.name,
            version: p.version,
            type: p.type,
            path: p.path ?? '',
          })),
        },
      ],
    }),
    extra: {
      cyclonedx: () => `${JSON.stringify(toCycloneDx(result), null, 2)}\n`,
      spdx: () => `${JSON.stringify(toSpdx(result), null, 2)}\n`,
    },
  });
}

export const sbomCommands: CommandModule = {
  name: 'sbom',
  register(program, context) {
    const command = program
      .command('sbom')
      .description(
        'list the packages in an image (docker-archive:, oci-archive:, oci:, dir:, docker-daemon:, docker://) as CycloneDX, SPDX or JSON',
      )
      .argument('<target>', 'image: TRANSPORT:REF, a registry reference, or a path (sniffed)');
    withImageSourceOptions(command).action(async (target: string, opts: SbomOptions, cmd: Command) =>
      sbom(context(cmd), target, opts),
    );
  },
};
