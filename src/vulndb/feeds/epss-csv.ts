import type { Feed, FeedInput, FeedSink } from './types.js';

/** FIRST's header line: `#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000`. */
const META = /^#model_version:([^,\s]+)(?:,score_date:(\d{4}-\d{2}-\d{2})\S*)?\s*$/;
const COLUMNS = 'cve,epss,percentile';
const CVE = /^CVE-\d{4}-\d{4,}$/;

function probability(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+(\.\d+)?(e-?\d+)?$/i.test(text.trim())) return undefined;
  const n = Number(text);
  return n >= 0 && n <= 1 ? n : undefined;
}

/** What is wrong with the first two lines, if anything. */
function headerProblem(text: string): string | undefined {
  const [first = '', second = ''] = text.split('\n', 2);
  const meta = META.exec(first.trimEnd());
  if (!meta) return 'line 1 is not "#model_version:…,score_date:…"';
  if (!meta[2]) return 'the #model_version line has no score_date';
  if (second.trim() !== COLUMNS) return `line 2 is not "${COLUMNS}"`;
  return undefined;
}

/**
 * FIRST's EPSS scores as published (epss_scores-YYYY-MM-DD.csv[.gz]): a `#model_version:…,score_date:…` line,
 * the `cve,epss,percentile` header, then one CVE a line. The three fields are never quoted.
 */
export const epssCsv = {
  name: 'epss-csv',
  description: "FIRST's EPSS scores (CSV with the #model_version header line)",
  // a file named on the command line that starts like one is read (and refused with the reason when broken);
  // inside a directory only a well-formed one is, the others are skipped as not feed data
  sniff(input: FeedInput): boolean {
    if (input.kind !== 'text' || !input.text.startsWith('#model_version:')) return false;
    return input.explicit === true || headerProblem(input.text.slice(0, 4096)) === undefined;
  },
  import(input: FeedInput, sink: FeedSink): void {
    const problem = headerProblem(input.text);
    if (problem) throw new Error(problem);
    const lines = input.text.split(/\r?\n/);
    const [, model, date] = META.exec(lines[0]!)!;
    for (let i = 2; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      const [cve, score, percentile, extra] = line.split(',');
      const s = probability(score);
      const p = probability(percentile);
      if (!cve || !CVE.test(cve) || s === undefined || p === undefined || extra !== undefined) {
        sink.drop(`line ${i + 1}: not "CVE-…,score,percentile" with scores from 0 to 1`);
        continue;
      }
      sink.signal({ kind: 'epss', cve, score: s, percentile: p, date: date!, model: model! });
    }
  },
} satisfies Feed;
