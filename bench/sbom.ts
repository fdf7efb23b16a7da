import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchImage } from '../test/fixtures/bench-image.js';
import { time } from './timing.js';
import type { Benchmark } from './types.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/**
 * `bulkhead sbom` (the built CLI, process start included) on a ~300 MB, 4-layer gzip OCI image against
 * the floor: GNU `tar -tzf` listing the same layers, decompressing them, one after the other.
 */
export const sbom: Benchmark = {
  name: 'sbom',
  description: 'bulkhead sbom on a ~300 MB multi-layer image vs GNU tar -t over the same layers',
  async run() {
    const image = benchImage();
    let packages = 0;
    const subject = await time(
      'bulkhead sbom oci:',
      () => {
        const out = execFileSync(
          process.execPath,
          [CLI, 'sbom', `oci:${image.dir}`, '--format', 'json', '--quiet'],
          {
            maxBuffer: 256 << 20,
          },
        );
        packages = JSON.parse(out.toString()).packages.length;
      },
      3,
    );
    const baseline = await time(
      'tar -tzf (each layer)',
      () => {
        for (const blob of image.blobs)
          execFileSync('tar', ['-tzf', blob], { stdio: ['ignore', 'ignore', 'inherit'] });
      },
      3,
    );
    return {
      subject,
      baseline,
      target: '≤ 1.5× tar -t',
      maxRatio: 1.5,
      notes: [
        `${image.blobs.length} layers, ${(image.bytes.compressed / 2 ** 20).toFixed(0)} MiB compressed, ${(image.bytes.uncompressed / 2 ** 20).toFixed(0)} MiB uncompressed, ${packages} packages`,
      ],
    };
  },
};
