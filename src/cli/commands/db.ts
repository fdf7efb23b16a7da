import { resolve } from 'node:path';
import type { Command } from 'commander';
import { envelope } from '../../core/envelope.js';
import { errorMessage, UserInputError } from '../../core/errors.js';
import { readInputText } from '../../core/input-file.js';
import { writeOutputFile } from '../../core/output-file.js';
import type { Store } from '../../store/index.js';
import type { ImportSummary } from '../../vulndb/importer.js';
import type { FeedUpdate } from '../../vulndb/update.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';
import { markImport } from '../import-marker.js';
import { createProgress } from '../progress.js';

function readKey(flag: string, path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readInputText(path, { maxBytes: 1 << 20, what: 'a PEM key file' });
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    throw new UserInputError(flag, `cannot read ${path}: ${errorMessage(error)}`);
  }
}

async function statusDocument(store: Store) {
  const { advisoryStatus } = await import('../../vulndb/store.js');
  const { signalStatus } = await import('../../vulndb/exploit-signals.js');
  return envelope('DatabaseStatus', {
    ...(await advisoryStatus(store.db)),
    exploitation: await signalStatus(store.db),
  });
}

function emitStatus(ctx: CliContext, doc: Awaited<ReturnType<typeof statusDocument>>) {
  ctx.emit({
    document: doc,
    table: () => ({
      title: `Advisory database: ${doc.advisories.toLocaleString('en')} records`,
      columns: [
        { key: 'name', header: 'SOURCE' },
        { key: 'format', header: 'FORMAT' },
        { key: 'records', header: 'RECORDS', align: 'right' },
        { key: 'newest', header: 'NEWEST' },
        { key: 'importedAt', header: 'IMPORTED' },
      ],
      sections: [
        {
          rows: doc.sources.map((s) => ({
            ...s,
            newest: s.newest?.slice(0, 10) ?? '-',
            importedAt: s.importedAt.slice(0, 19).replace('T', ' '),
          })),
        },
      ],
      footer: [
        `KEV: ${doc.exploitation.kev.entries.toLocaleString('en')} entries${doc.exploitation.kev.catalogVersion ? ` (catalog ${doc.exploitation.kev.catalogVersion})` : ''}, EPSS: ${doc.exploitation.epss.scores.toLocaleString('en')} scores${doc.exploitation.epss.scoreDate ? ` (${doc.exploitation.epss.scoreDate})` : ''}`,
      ],
    }),
  });
}

function importRows(s: ImportSummary) {
  return [
    { what: 'files imported', value: s.files },
    ...Object.entries(s.formats).map(([f, n]) => ({ what: `  ${f}`, value: n })),
    { what: 'records read', value: s.records },
    { what: 'records added', value: s.added },
    { what: 'records updated', value: s.updated },
    { what: 'records kept (stored is newer)', value: s.older },
    { what: 'records dropped (unusable)', value: s.droppedCount },
    { what: 'CISA KEV entries stored', value: s.kev },
    { what: 'FIRST EPSS scores stored', value: s.epss },
    { what: 'files skipped (not feed data)', value: s.skipped.length },
  ];
}

async function runImport(ctx: CliContext, sources: string[], publicKey: string | undefined) {
  const key = readKey('--public-key', publicKey);
  const { importSources } = await import('../../vulndb/importer.js');
  const { advisoryStatus } = await import('../../vulndb/store.js');
  // marked before the store is opened: an image scan started beside it waits instead of finding nothing
  const unmark = markImport(ctx.globals.home);
  const doc = await ctx
    .withStore(async (store) => {
      const progress = createProgress(ctx, 'import');
      let summary: ImportSummary;
      try {
        summary = await importSources(store.db, sources, {
          ...(key ? { publicKeyPem: key } : {}),
          onFile: (done, total, name) => {
            if (done === 1) progress.total(total);
            progress.label(name.split('/').slice(-2).join('/'));
            progress.advance();
          },
        });
      } finally {
        progress.stop();
      }
      return envelope('DatabaseImport', { ...summary, status: await advisoryStatus(store.db) });
    })
    .finally(unmark);
  ctx.emit({
    document: doc,
    table: () => ({
      title: `Imported ${sources.join(', ')}`,
      columns: [
        { key: 'what', header: 'WHAT' },
        { key: 'value', header: 'COUNT', align: 'right' },
      ],
      sections: [{ rows: importRows(doc) }],
      footer: [
        `database: ${doc.status.advisories.toLocaleString('en')} records in ${doc.status.sources.length} sources`,
      ],
    }),
  });
}

async function runUpdate(ctx: CliContext, urls: string[] | undefined) {
  const { configuredFeeds, updateFeed } = await import('../../vulndb/update.js');
  const { advisoryStatus } = await import('../../vulndb/store.js');
  const feeds = urls?.length ? urls.map((url) => ({ url })) : configuredFeeds(ctx.globals.home);
  const doc = await ctx.withStore(async (store) => {
    const results: FeedUpdate[] = [];
    for (const feed of feeds) {
      ctx.notice(`updating ${feed.url}`);
      results.push(await updateFeed(store.db, ctx.globals.home, feed));
    }
    return envelope('DatabaseUpdate', { feeds: results, status: await advisoryStatus(store.db) });
  });
  ctx.emit({
    document: doc,
    table: () => ({
      title: 'Feed update',
      columns: [
        { key: 'url', header: 'FEED', maxWidth: 80 },
        { key: 'status', header: 'STATUS' },
        { key: 'bytes', header: 'BYTES', align: 'right' },
        { key: 'added', header: 'ADDED', align: 'right' },
      ],
      sections: [
        {
          rows: doc.feeds.map((f) => ({
            url: f.url,
            status: f.status,
            bytes: f.bytes,
            added: (f.imported?.added ?? 0) + (f.pages?.added ?? 0),
          })),
        },
      ],
    }),
  });
}

async function runBundleCreate(ctx: CliContext, file: string, signKey: string | undefined) {
  const key = readKey('--sign-key', signKey);
  const { createBundle } = await import('../../vulndb/bundle.js');
  const doc = await ctx.withStore(async (store) => {
    const { bytes, manifest } = await createBundle(store.db, key ? { signKeyPem: key } : {});
    const path = resolve(file);
    writeOutputFile(file, bytes);
    return envelope('AdvisoryBundle', {
      file: path,
      bytes: bytes.length,
      signed: key !== undefined,
      manifest,
    });
  });
  emitBundle(ctx, doc.file, doc.signed ? 'signed' : 'unsigned', doc.manifest.sources, doc);
}

function emitBundle(
  ctx: CliContext,
  file: string,
  signature: string,
  sources: { name: string; records: number; sha256: string }[],
  document?: object,
) {
  ctx.emit({
    document: document ?? envelope('AdvisoryBundle', { file, signature, sources }),
    table: () => ({
      title: `Bundle ${file} (${signature})`,
      columns: [
        { key: 'name', header: 'SOURCE' },
        { key: 'records', header: 'RECORDS', align: 'right' },
        { key: 'sha256', header: 'SHA-256', maxWidth: 20 },
      ],
      sections: [{ rows: sources }],
    }),
  });
}

async function runQuery(ctx: CliContext, namespace: string, pkg: string, version: string | undefined) {
  const { findAdvisories } = await import('../../vulndb/query.js');
  const matches = await ctx.withStore((store) =>
    findAdvisories(store.db, { namespace, package: pkg, ...(version ? { version } : {}) }),
  );
  const doc = envelope('AdvisoryMatches', { namespace, package: pkg, version: version ?? null, matches });
  ctx.emit({
    document: doc,
    table: () => ({
      title: `${namespace} ${pkg}${version ? ` ${version}` : ''}: ${matches.length} advisories`,
      columns: [
        { key: 'vulnId', header: 'ID' },
        { key: 'source', header: 'SOURCE' },
        { key: 'state', header: 'STATE' },
        { key: 'fixedVersion', header: 'FIXED' },
        { key: 'title', header: 'TITLE', maxWidth: 60 },
      ],
      sections: [
        {
          rows: matches.map((m) => ({
            vulnId: m.vulnId,
            source: m.source,
            state: m.state,
            fixedVersion: m.fixedVersion ?? '-',
            title: m.title ?? '',
          })),
        },
      ],
    }),
  });
}

export const dbCommands: CommandModule = {
  name: 'db',
  register(program, context) {
    const db = program
      .command('db')
      .description('the advisory database: import feeds, update, status, offline bundles');
    db.command('import')
      .description(
        'import advisory feeds: files, directories or zips (OSV, Debian tracker/DSA/DLA, Alpine/Wolfi secdb, RustSec, Node.js security-wg, Bulkhead bundles); the format is sniffed',
      )
      .argument('<source...>', 'files, directories or archives')
      .option(
        '--public-key <pem>',
        'accept only Bulkhead bundles whose signature matches this PEM public key',
      )
      .action(async (sources: string[], opts: { publicKey?: string }, cmd: Command) =>
        runImport(context(cmd), sources, opts.publicKey),
      );
    db.command('status')
      .description('show the records held per source, their newest date and when they were imported')
      .action(async (_opts, cmd: Command) => {
        const ctx = context(cmd);
        emitStatus(ctx, await ctx.withStore(statusDocument));
      });
    db.command('update')
      .description(
        'download the configured feeds (<home>/feeds.json, else the public OSV, Debian and Alpine feeds) with conditional requests, verify, swap atomically and import',
      )
      .option('--feed <url...>', 'feed URLs to update instead of the configured ones')
      .action(async (opts: { feed?: string[] }, cmd: Command) => runUpdate(context(cmd), opts.feed));
    db.command('query')
      .description(
        'the advisories that apply to a package (namespace such as deb/debian/12, apk/alpine/3.18, npm, pypi, go, cargo, maven)',
      )
      .argument('<namespace>', 'ecosystem or distro/release')
      .argument('<package>', 'package name (Debian: source package; Alpine: origin)')
      .argument('[version]', 'installed version; without it every advisory about the package is listed')
      .action(async (namespace: string, pkg: string, version: string | undefined, _opts, cmd: Command) =>
        runQuery(context(cmd), namespace, pkg, version),
      );
    const bundle = db
      .command('bundle')
      .description('offline bundles for air-gapped hosts (import them with db import)');
    bundle
      .command('create')
      .description(
        'export the whole advisory database into FILE: a zip of per-source NDJSON with SHA-256 checksums',
      )
      .argument('<file>', 'bundle file to write')
      .option('--sign-key <pem>', 'sign the manifest with this PEM private key (Ed25519, EC or RSA)')
      .action(async (file: string, opts: { signKey?: string }, cmd: Command) =>
        runBundleCreate(context(cmd), file, opts.signKey),
      );
    bundle
      .command('verify')
      .description('check a bundle: every checksum, and its signature when --public-key is given')
      .argument('<file>', 'bundle file')
      .option('--public-key <pem>', 'PEM public key the signature must match')
      .action(async (file: string, opts: { publicKey?: string }, cmd: Command) => {
        const ctx = context(cmd);
        const { verifyBundleFile } = await import('../../vulndb/bundle.js');
        const check = verifyBundleFile(resolve(file), readKey('--public-key', opts.publicKey));
        emitBundle(
          ctx,
          resolve(file),
          check.signature,
          check.manifest.sources,
          envelope('BundleVerification', {
            file: resolve(file),
            valid: true,
            signature: check.signature,
            manifest: check.manifest,
          }),
        );
      });
  },
};
