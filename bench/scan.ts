import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptySeverityCounts } from '../src/core/severity.js';
import type { AdvisoryCache } from '../src/scan/match.js';
import { rematch, saveImageScan, storedImage } from '../src/scan/persist.js';
import { readSbom } from '../src/scan/sbom-input.js';
import type { ScanInput, ScanResult } from '../src/scan/types.js';
import { openStore } from '../src/store/index.js';
import { importSources } from '../src/vulndb/importer.js';
import { goldenOs, goldenPackages, readGolden } from '../test/conformance/trivy/cases.js';
import { corpusPath } from '../test/corpus.js';
import { benchImage } from '../test/fixtures/bench-image.js';
import { time } from './timing.js';
import type { Benchmark } from './types.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const IMAGES = 1000;

/** The package lists of the corpus images: Trivy's package goldens (with their golden's OS) and its SBOMs. */
function corpusPackageLists(): ScanInput[] {
  const trivy = corpusPath('images', 'peer-cases', 'trivy');
  const goldens = join(trivy, 'pkg/fanal/test/integration/testdata/goldens/packages');
  const osOf: Record<string, string> = {
    'debian-buster': 'debian-buster',
    'ubuntu-18.04': 'ubuntu-1804-ignore-unfixed',
    'centos-6': 'centos-6',
    'ubi-7': 'ubi-7',
    'opensuse-leap-151': 'opensuse-leap-151',
    'photon-30': 'photon-30',
  };
  const lists: ScanInput[] = [];
  for (const file of readdirSync(goldens)) {
    const name = file.replace(/\.json\.golden$/, '');
    const golden = osOf[name];
    if (!golden) continue;
    const os = readGolden(join(trivy, 'integration/testdata', `${golden}.json.golden`)).os;
    if (!os) continue;
    lists.push({
      target: name,
      os: goldenOs(os),
      packages: goldenPackages(join(goldens, file), goldenOs(os)),
    });
  }
  const sboms = join(trivy, 'integration/testdata/fixtures/sbom');
  for (const f of ['centos-7-cyclonedx.json', 'fluentd-multiple-lockfiles-cyclonedx.json'])
    lists.push(readSbom(join(sboms, f)));
  return lists;
}

const EMPTY: ScanResult = {
  target: '',
  artifact: {},
  healthy: true,
  summary: emptySeverityCounts(),
  vulnerabilities: [],
  fixUnits: [],
  suppressed: [],
  expiredExceptions: [],
  packages: 0,
};

/**
 * (1) `bulkhead image scan` (built CLI, process start included) of the ~300 MB bench image with the whole
 * vulndb corpus imported, against GNU `tar -tzf` over the same layers; the same scan with `--scanners vuln,secret`
 * gets its own ratio against that baseline in the notes. (2) Re-matching 1,000 stored package
 * lists (the corpus images' lists, each stored under its own digest) against reading them back from the store.
 */
export const scan: Benchmark = {
  name: 'scan',
  description:
    'image scan of the ~300 MB bench image vs tar -t; rematch of 1,000 stored package lists vs reading them back',
  async run() {
    const image = benchImage();
    const home = mkdtempSync(join(tmpdir(), 'bulkhead-bench-scan-'));
    try {
      const store = await openStore({ home });
      let records = 0;
      let findings = 0;
      try {
        const summary = await importSources(store.db, [corpusPath('vulndb')]);
        records = summary.records;
      } finally {
        await store.close();
      }
      const subject = await time(
        'bulkhead image scan oci:',
        () => {
          const out = execFileSync(
            process.execPath,
            [CLI, '--home', home, 'image', 'scan', `oci:${image.dir}`, '--format', 'json', '--quiet'],
            {
              maxBuffer: 256 << 20,
            },
          );
          findings = JSON.parse(out.toString()).vulnerabilities.length;
        },
        3,
      );
      // the secret scanner reads every text file of every layer besides: its own figure against the same baseline
      let secrets = 0;
      const withSecrets = await time(
        'bulkhead image scan --scanners vuln,secret',
        () => {
          const out = execFileSync(
            process.execPath,
            [
              CLI,
              ...['--home', home, 'image', 'scan', `oci:${image.dir}`, '--scanners', 'vuln,secret'],
              ...['--format', 'json', '--quiet'],
            ],
            { maxBuffer: 256 << 20 },
          );
          secrets = JSON.parse(out.toString()).secrets.length;
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

      // (2) 1,000 stored images
      const lists = corpusPackageLists();
      const db = await openStore({ home });
      let rematchMs = 0;
      let readMs = 0;
      let rematchFindings = 0;
      let packages = 0;
      try {
        const digests: string[] = [];
        for (let i = 0; i < IMAGES; i++) {
          const list = lists[i % lists.length]!;
          const digest = `sha256:${i.toString(16).padStart(64, '0')}`;
          digests.push(digest);
          packages += list.packages.length;
          await saveImageScan(db.db, { ...list, digest, target: `${list.target}#${i}` }, EMPTY, {
            kind: 'bench',
          });
        }
        const read = await time(
          'read 1,000 package lists back',
          async () => {
            for (const d of digests) await storedImage(db.db, d);
          },
          3,
        );
        const again = await time(
          'rematch 1,000 stored images',
          async () => {
            const cache: AdvisoryCache = new Map();
            rematchFindings = 0;
            for (const d of digests)
              rematchFindings += (await rematch(db.db, d, { store: false, cache }))!.result.vulnerabilities
                .length;
          },
          3,
        );
        rematchMs = again.ms;
        readMs = read.ms;
      } finally {
        await db.close();
      }
      return {
        subject,
        baseline,
        target: '≤ 1.5× tar -t',
        maxRatio: 1.5,
        notes: [
          `--scanners vuln,secret: ${withSecrets.ms.toFixed(0)} ms vs tar -tzf ${baseline.ms.toFixed(0)} ms = ${(withSecrets.ms / baseline.ms).toFixed(2)}× (vuln alone ${(subject.ms / baseline.ms).toFixed(2)}×); ${secrets} secrets`,
          `${image.blobs.length} layers, ${(image.bytes.compressed / 2 ** 20).toFixed(0)} MiB compressed; whole vulndb corpus imported (${records} records read); ${findings} findings`,
          `rematch of ${IMAGES} stored package lists (${packages} packages, ${lists.length} distinct corpus lists): ${rematchMs.toFixed(0)} ms vs reading them back ${readMs.toFixed(0)} ms = ${(rematchMs / readMs).toFixed(2)}×; ${rematchFindings} findings`,
        ],
      };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  },
};
