import { writeFileSync } from 'node:fs';

/** A CycloneDX 1.6 SBOM of npm packages ([name, version] pairs), written to `file`: the input of many e2e scans. */
export function writeNpmSbom(
  file: string,
  components: readonly (readonly [string, string] | string[])[],
): string {
  writeFileSync(
    file,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      components: components.map(([n, v]) => ({
        'bom-ref': n,
        type: 'library',
        name: n,
        version: v,
        purl: `pkg:npm/${n}@${v}`,
      })),
    }),
  );
  return file;
}
