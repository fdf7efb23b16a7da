// npm run conformance -- --suite NAME [--dir DIR] [--json] [--through-server]   |   npm run conformance -- --list
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CORPUS_ROOT } from '../corpus.js';
import { SUITES } from './suites/index.js';
import { closingLine, reasonsLine, runSuite } from './summarize.js';

function fail(message: string): never {
  process.stderr.write(`conformance: ${message}\n`);
  process.exit(2);
}

let values: { suite?: string; dir?: string; json?: boolean; list?: boolean; 'through-server'?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      suite: { type: 'string' },
      dir: { type: 'string' },
      json: { type: 'boolean' },
      list: { type: 'boolean' },
      'through-server': { type: 'boolean' },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
const registered = SUITES.map((s) => s.name).join(', ') || '(none yet)';
if (values.list || !values.suite) {
  process.stdout.write(`registered suites: ${registered}\n`);
  for (const s of SUITES)
    process.stdout.write(
      `  ${s.name}\t${s.description}\t(default --dir ${join(CORPUS_ROOT, s.defaultDir)})\n`,
    );
  process.exit(values.suite || values.list ? 0 : 2);
}
const suite = SUITES.find((s) => s.name === values.suite);
if (!suite) fail(`unknown suite "${values.suite}" (registered: ${registered})`);
if (values['through-server'] && !suite.throughServer)
  fail(`suite ${suite.name} has no --through-server mode (it does not send AdmissionReviews)`);
const dir = resolve(values.dir ?? join(CORPUS_ROOT, suite.defaultDir));
if (!existsSync(dir)) fail(`${dir}: no such directory`);

let summary: Awaited<ReturnType<typeof runSuite>>;
try {
  summary = await runSuite(suite, dir, { throughServer: values['through-server'] === true });
} catch (error) {
  // a folder the suite cannot read (an unknown provider, a schema it does not know): one line, no trace
  fail((error as Error).message);
}
if (values.json) {
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} else {
  for (const c of summary.cases) {
    const mark = c.verdict === 'passed' ? 'ok  ' : c.verdict === 'failed' ? 'FAIL' : 'n/i ';
    const reason = c.verdict === 'not-implemented' ? ` [${c.reason ?? 'none'}]` : '';
    process.stdout.write(`${mark} ${c.id}${reason}${c.detail ? `  — ${c.detail}` : ''}\n`);
  }
  const reasons = reasonsLine(summary);
  if (reasons) process.stdout.write(`${reasons}\n`);
}
process.stdout.write(`${closingLine(summary)}\n`);
