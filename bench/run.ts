// npm run bench [-- --only NAME[,NAME]] [--json]
import { parseArgs } from 'node:util';
import { BENCHMARKS } from './index.js';

const { values } = parseArgs({
  options: { only: { type: 'string' }, json: { type: 'boolean' }, list: { type: 'boolean' } },
});

if (values.list) {
  for (const b of BENCHMARKS) console.log(`${b.name}\t${b.description}`);
  process.exit(0);
}
const wanted = values.only?.split(',').map((s) => s.trim());
const unknown = wanted?.filter((w) => !BENCHMARKS.some((b) => b.name === w)) ?? [];
if (unknown.length) {
  console.error(
    `bench: unknown benchmark ${unknown.join(', ')} (registered: ${BENCHMARKS.map((b) => b.name).join(', ')})`,
  );
  process.exit(2);
}
const selected = BENCHMARKS.filter((b) => !wanted || wanted.includes(b.name));
const out: Record<string, unknown>[] = [];
let missed = 0;
for (const bench of selected) {
  console.log(`\n▶ ${bench.name}: ${bench.description}`);
  const r = await bench.run();
  const ratio = r.subject.ms / r.baseline.ms;
  const met = r.met ?? (r.maxRatio === undefined ? undefined : ratio <= r.maxRatio);
  if (met === false) missed++;
  console.log(`  ${r.subject.label}: ${r.subject.ms.toFixed(1)} ms`);
  console.log(`  ${r.baseline.label} (baseline, same run): ${r.baseline.ms.toFixed(1)} ms`);
  console.log(
    `  ratio: ${ratio.toFixed(2)}×${r.target ? `  target ${r.target}: ${met ? 'met' : 'MISSED'}` : ''}`,
  );
  for (const note of r.notes ?? []) console.log(`  ${note}`);
  out.push({
    name: bench.name,
    subjectMs: r.subject.ms,
    baselineMs: r.baseline.ms,
    ratio,
    target: r.target,
    met,
    notes: r.notes,
  });
}
if (values.json) console.log(JSON.stringify(out, null, 2));
console.log(`\n${selected.length} benchmarks run, ${missed} missed their target`);
