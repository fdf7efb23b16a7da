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

/**
 * FIRST's EPSS scores as published (epss_scores-YYYY-MM-DD.csv[.gz]): a `#model_version:…,score_date:…` line,
 * the `cve,epss,percentile` header, then one CVE a line. The three fields are never quoted.
 */
export const epssCsv = {
  name: 'epss-csv',
  description: "FIRST's EPSS scores (CSV with the #model_version header line)",
  sniff(input: FeedInput): boolean {
    return input.kind === 'text' && input.text.startsWith('#model_version:');
  },
  import(input: FeedInput, sink: FeedSink): void {
    const lines = input.text.split(/\r?\n/);
    const meta = META.exec(lines[0] ?? '');
    if (!meta) throw new Error(`line 1 is not "#model_version:…,score_date:…"`);
    const [, model, date] = meta;
    if (!date) throw new Error('the #model_version line has no score_date');
    if (lines[1]?.trim() !== COLUMNS) throw new Error(`line 2 is not "${COLUMNS}"`);
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
      sink.signal({ kind: 'epss', cve, score: s, percentile: p, date, model: model! });
    }
  },
} satisfies Feed;
