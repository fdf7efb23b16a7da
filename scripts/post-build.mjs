// After tsc: make the CLI executable and copy data files (JSON, YAML) that modules read at run time.
import { chmodSync, cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const DATA = /\.(json|ya?ml|txt|rules)$/;
function copyData(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === '__fixtures__' || name === 'test-support') continue;
    if (statSync(path).isDirectory()) copyData(path);
    else if (DATA.test(name)) cpSync(path, join('dist', relative('src', path)));
  }
}
copyData('src');
chmodSync('dist/cli/main.js', 0o755);
