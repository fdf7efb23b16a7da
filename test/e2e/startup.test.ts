import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT } from './cli-support.js';

/**
 * Modules outside cli/ and core/ that start-up may load: the light declarations command groups show in their
 * options (standards, event sources, scenario names, finding statuses). Engines load inside actions (command-module.ts).
 */
const DECLARATIONS = [
  'hardening/kubernetes/controls/types.js',
  'runtime/event.js',
  'runtime/simulate/image.js',
  'runtime/simulate/scenarios.js',
  'scan/types.js',
];

/** The dist/ modules `node dist/cli/main.js ARGS` loads, traced by a module-loader hook. */
function modulesLoaded(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-startup-'));
  const trace = join(dir, 'trace.txt');
  writeFileSync(trace, '');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(trace)}, url + '\\n');
  return next(url, context);
}
`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
  );
  execFileSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, CLI, ...args], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
  });
  const dist = pathToFileURL(join(REPO_ROOT, 'dist')).href;
  return readFileSync(trace, 'utf8')
    .split('\n')
    .filter((u) => u.startsWith(`${dist}/`))
    .map((u) => u.slice(dist.length + 1));
}

describe('CLI start-up', () => {
  it.each([['--version'], ['--help'], ['image', 'scan', '--help']])(
    '`bulkhead %s` loads no engine, only the CLI, core and option declarations',
    (...args) => {
      const loaded = modulesLoaded(args);
      expect(loaded).toContain('cli/main.js');
      const engines = loaded.filter(
        (m) => !m.startsWith('cli/') && !m.startsWith('core/') && !DECLARATIONS.includes(m),
      );
      expect(engines).toEqual([]);
    },
  );
});
