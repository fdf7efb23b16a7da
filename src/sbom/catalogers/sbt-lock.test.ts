import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { catalogFiles } from '../test-support/view.js';
import { sbtLock } from './sbt-lock.js';

describe('sbt-lock', () => {
  it("Trivy's build.sbt.lock fixture: a compile/runtime dependency as a Maven package", () => {
    const pkgs = catalogFiles(
      {
        'svc/build.sbt.lock': readFileSync(
          corpusPath(
            'images',
            'peer-cases',
            'trivy',
            'integration/testdata/fixtures/repo/sbt/build.sbt.lock',
          ),
        ),
      },
      [sbtLock],
    );
    expect(pkgs.map((p) => [p.name, p.version, p.purl])).toEqual([
      [
        'com.fasterxml.jackson.core:jackson-databind',
        '2.9.1',
        'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.1',
      ],
    ]);
  });

  it('test-only and provided-only dependencies are left out', () => {
    const lock = JSON.stringify({
      lockVersion: 1,
      dependencies: [
        { org: 'org.scalatest', name: 'scalatest_2.13', version: '3.2.18', configurations: ['test'] },
        { org: 'javax.servlet', name: 'servlet-api', version: '2.5', configurations: ['provided'] },
        {
          org: 'org.typelevel',
          name: 'cats-core_2.13',
          version: '2.10.0',
          configurations: ['compile', 'test'],
        },
      ],
    });
    expect(catalogFiles({ 'build.sbt.lock': lock }, [sbtLock]).map((p) => p.name)).toEqual([
      'org.typelevel:cats-core_2.13',
    ]);
  });
});
