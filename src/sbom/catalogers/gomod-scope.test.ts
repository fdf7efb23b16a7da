import { describe, expect, it } from 'vitest';
import { catalogFiles } from '../test-support/view.js';
import { gomod } from './gomod.js';

const GO_MOD = 'module example.com/app\n\ngo 1.22\n\nrequire golang.org/x/text v0.3.7\n';
const OS_RELEASE = 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n';

describe('go.mod: a source tree’s dependencies, not an image’s', () => {
  it('reads go.mod in a directory that is a source tree', () => {
    const pkgs = catalogFiles({ 'app/go.mod': GO_MOD }, [gomod], { directory: true });
    expect(pkgs.map((p) => p.purl)).toEqual(['pkg:golang/golang.org/x/text@v0.3.7']);
    // the go tool's ignored directories hold fixtures, not the tree's modules
    const fixtures = { 'app/testdata/m/go.mod': GO_MOD, 'app/_old/go.mod': GO_MOD };
    expect(catalogFiles(fixtures, [gomod], { directory: true })).toEqual([]);
  });

  it('leaves a go.mod in an image or a root file system to the binaries (Go’s tree, testdata)', () => {
    const files = {
      'etc/os-release': OS_RELEASE,
      'usr/local/go/src/go.mod': GO_MOD,
      'src/app/testdata/go.mod': GO_MOD,
    };
    expect(catalogFiles(files, [gomod])).toEqual([]);
    // a directory with an OS in it is a root file system
    expect(catalogFiles(files, [gomod], { directory: true })).toEqual([]);
  });
});
