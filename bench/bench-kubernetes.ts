import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runKubernetesBenchmark } from '../src/hardening/kubernetes-bench/run-benchmark.js';
import { buildFixtureNode } from '../src/hardening/kubernetes-bench/test-support/fixture-node.js';
import { CLI, REPO_ROOT } from '../test/e2e/cli-support.js';
import { time } from './timing.js';
import type { Benchmark } from './types.js';

const run = promisify(execFile);

/**
 * The reads any checker of the node must make, with plain fs calls one after the other: the process table
 * (cmdline and comm of every process), the manifests, config files and user tables the run read, a stat of every
 * file it judged and a walk of the directories it judged.
 */
async function minimumReads(root: string, files: string[], trees: string[], texts: string[]): Promise<void> {
  const proc = join(root, 'proc');
  for (const pid of (await readdir(proc)).filter((n) => /^\d+$/.test(n))) {
    await readFile(join(proc, pid, 'cmdline')).catch(() => null);
    await readFile(join(proc, pid, 'comm')).catch(() => null);
  }
  for (const t of texts) await readFile(join(root, t)).catch(() => null);
  for (const f of files) await stat(join(root, f)).catch(() => null);
  const walk = async (dir: string): Promise<void> => {
    const s = await stat(dir).catch(() => null);
    if (!s?.isDirectory()) return;
    for (const name of await readdir(dir)) await walk(join(dir, name));
  };
  for (const t of trees) await walk(join(root, t));
}

/**
 * `bench kubernetes`' whole run in process (evidence, every control, the document and its JSON) on the insecure
 * fixture control plane, against reading the same /proc entries and files; the built CLI's wall time as a note.
 */
export const benchKubernetes: Benchmark = {
  name: 'bench-kubernetes',
  description:
    'runKubernetesBenchmark on a fixture control plane (6 components) vs plain reads of the same /proc entries and files',
  async run() {
    const node = await buildFixtureNode('cp-insecure');
    try {
      const full = () =>
        runKubernetesBenchmark({ root: node.root }).then((o) => JSON.stringify(o.report.document));
      const first = await runKubernetesBenchmark({ root: node.root });
      const files = [...first.evidence.files.keys()];
      const trees = [...first.evidence.trees.keys()];
      const texts = [
        '/etc/passwd',
        '/etc/group',
        '/etc/hostname',
        ...[...first.evidence.components.values()].flatMap((c) => [
          ...(c.manifest ? [c.manifest] : []),
          ...(c.config ? [c.config.path] : []),
        ]),
      ];
      const baseline = await time(
        'plain reads of the same /proc entries and files',
        () => minimumReads(node.root, files, trees, texts),
        15,
      );
      const subject = await time(`bench kubernetes, ${first.results.length} controls`, full, 15);
      const notes = [
        `${first.results.length} controls: ${Object.entries(first.document.summary)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}; ${files.length} files and ${trees.length} directories judged`,
      ];
      if (!existsSync(CLI)) await run('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT });
      const cli = await time(
        'built CLI',
        () =>
          run(
            process.execPath,
            [CLI, 'bench', 'kubernetes', '--root', node.root, '--format', 'json', '--no-store', '--quiet'],
            {
              maxBuffer: 16 * 1024 * 1024,
            },
          ).catch((e: { code?: number }) => {
            if (e.code !== undefined && e.code !== 0) return;
            throw e;
          }),
        3,
      );
      const startup = await time('bulkhead --version', () => run(process.execPath, [CLI, '--version']), 3);
      notes.push(
        `built CLI end to end: ${cli.ms.toFixed(0)} ms, of which ${startup.ms.toFixed(0)} ms is the CLI's start-up (bulkhead --version)`,
      );
      return { subject, baseline, target: '≤ 2× the plain reads', maxRatio: 2, notes };
    } finally {
      await node.stop();
    }
  },
};
