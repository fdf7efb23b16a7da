import type { Command } from 'commander';
import { UserInputError } from '../core/errors.js';
import { outputWidth, wrapIndented } from '../core/render/table-layout.js';
import { GLOBAL_OPTIONS } from './global-options.js';

/** What a leaf command's help tells beyond its options: the formats it writes and two examples. */
interface CommandHelp {
  formats: readonly string[];
  examples: readonly [string, string];
}

const TJ = ['table', 'json'] as const;

/**
 * Per command path (`image scan`): the `--format` values it writes and two examples. The same list validates
 * `--format` before the command reads any input, and ends each `--help`.
 */
export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  'db import': {
    formats: TJ,
    examples: [
      'bulkhead db import ./osv-npm.zip',
      'bulkhead db import ./debian/ ./alpine-secdb/ --format json',
    ],
  },
  'db status': { formats: TJ, examples: ['bulkhead db status', 'bulkhead db status --format json'] },
  'db update': { formats: TJ, examples: ['bulkhead db update', 'bulkhead db update --format json --quiet'] },
  'db query': {
    formats: TJ,
    examples: ['bulkhead db query CVE-2023-0286', 'bulkhead db query pkg:npm/lodash@4.17.4 --format json'],
  },
  'db bundle create': {
    formats: TJ,
    examples: [
      'bulkhead db bundle create advisories.bundle',
      'bulkhead db bundle create advisories.bundle --private-key key.pem',
    ],
  },
  'db bundle verify': {
    formats: TJ,
    examples: [
      'bulkhead db bundle verify advisories.bundle',
      'bulkhead db bundle verify advisories.bundle --public-key key.pub --format json',
    ],
  },
  'image scan': {
    formats: ['table', 'json', 'sarif', 'cyclonedx'],
    examples: [
      'bulkhead image scan docker-archive:app.tar --severity HIGH,CRITICAL',
      'bulkhead image scan registry.example.com/app:1.2 --exit-code 1 --format sarif --output app.sarif',
    ],
  },
  sbom: {
    formats: ['table', 'json', 'cyclonedx', 'spdx'],
    examples: ['bulkhead sbom oci:./layout:1.0 --format cyclonedx', 'bulkhead sbom docker-daemon:app:latest'],
  },
  'bench docker': {
    formats: ['table', 'json', 'junit', 'sarif'],
    examples: ['bulkhead bench docker', 'bulkhead bench docker --level 2 --format junit --output cis.xml'],
  },
  'k8s scan': {
    formats: ['table', 'json', 'sarif', 'junit'],
    examples: ['bulkhead k8s scan ./manifests', 'helm template ./chart | bulkhead k8s scan - --standard all'],
  },
  'admission review': {
    formats: TJ,
    examples: [
      'bulkhead admission review request.json',
      'bulkhead admission review - --mode enforce --exit-code',
    ],
  },
  'admission serve': {
    formats: TJ,
    examples: [
      'bulkhead admission serve --tls-cert tls.crt --tls-key tls.key',
      'bulkhead admission serve --tls-cert tls.crt --tls-key tls.key --policy policy.yaml --with-defaults',
    ],
  },
  'admission manifests': {
    formats: TJ,
    examples: [
      'bulkhead admission manifests | kubectl apply -f -',
      'bulkhead admission manifests --namespace security --image registry.example.com/bulkhead:0.1.0',
    ],
  },
  'admission audit': {
    formats: ['table', 'json', 'sarif', 'junit'],
    examples: ['bulkhead admission audit ./manifests', 'bulkhead admission audit --cluster --format json'],
  },
  'runtime detect': {
    formats: ['table', 'json', 'sarif'],
    examples: [
      'bulkhead runtime detect --source k8s-audit audit.log',
      'bulkhead runtime detect --source auditd /var/log/audit/audit.log --format json --no-store',
    ],
  },
  'runtime serve': {
    formats: TJ,
    examples: ['bulkhead runtime serve', 'bulkhead runtime serve --webhook-port 9443 --no-store'],
  },
  'runtime rules': {
    formats: TJ,
    examples: ['bulkhead runtime rules', 'bulkhead runtime rules --rules my-rules.yaml --format json'],
  },
  'alerts simulate': {
    formats: TJ,
    examples: ['bulkhead alerts simulate', 'bulkhead alerts simulate --format json'],
  },
  'alerts list': {
    formats: ['table', 'json', 'sarif'],
    examples: ['bulkhead alerts list', 'bulkhead alerts list --format json'],
  },
  'scans list': {
    formats: TJ,
    examples: ['bulkhead scans list', 'bulkhead scans list --kind bench-docker --format json'],
  },
  'scans show': { formats: TJ, examples: ['bulkhead scans show 12', 'bulkhead scans show 12 --format json'] },
  'scans diff': {
    formats: TJ,
    examples: ['bulkhead scans diff 11 12', 'bulkhead scans diff 11 12 --format json'],
  },
  'store status': { formats: TJ, examples: ['bulkhead store status', 'bulkhead store status --format json'] },
  'store migrate': {
    formats: TJ,
    examples: ['bulkhead store migrate', 'bulkhead store migrate --database postgres://bulkhead@db/bulkhead'],
  },
  'store backup': {
    formats: TJ,
    examples: ['bulkhead store backup backup.db', 'bulkhead store backup /backups/bulkhead-$(date +%F).db'],
  },
  'store restore': {
    formats: TJ,
    examples: ['bulkhead store restore backup.db', 'bulkhead --home /srv/bulkhead store restore backup.db'],
  },
  'store prune': {
    formats: TJ,
    examples: [
      'bulkhead store prune --older-than 30d',
      'bulkhead store prune --older-than 90d --keep-last 5',
    ],
  },
  serve: {
    formats: TJ,
    examples: [
      'bulkhead serve',
      'bulkhead serve --host 0.0.0.0 --port 8443 --tls-cert tls.crt --tls-key tls.key',
    ],
  },
  'token create': {
    formats: TJ,
    examples: [
      'bulkhead token create --name ci --role operator',
      'bulkhead token create --name agent-1 --role agent',
    ],
  },
  'token list': { formats: TJ, examples: ['bulkhead token list', 'bulkhead token list --format json'] },
  'token revoke': { formats: TJ, examples: ['bulkhead token revoke 3', 'bulkhead token revoke 3 --quiet'] },
  'user add': {
    formats: TJ,
    examples: [
      'printf %s "$PASSWORD" | bulkhead user add alice --role admin --password-stdin',
      'bulkhead user add bob --role viewer --password-stdin < bob.pass',
    ],
  },
  'user list': { formats: TJ, examples: ['bulkhead user list', 'bulkhead user list --format json'] },
};

/** `image scan` for the command `scan` under `image` (the root's name left out). */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The help text's width: $COLUMNS when set, else the terminal's, else 120 (the same rule as tables). */
export function helpWidth(env: NodeJS.ProcessEnv = process.env): number {
  return outputWidth(env);
}

function globalOptionsText(): string {
  const flags = GLOBAL_OPTIONS.map((o) => o.flags.replace(/ <.*>$/, '')).join(', ');
  return `Global options (see bulkhead --help): ${flags}`;
}

/**
 * Check `--format` against what the command writes, before it reads any input. Commands without an entry accept
 * table and json.
 */
export function checkFormat(cmd: Command): void {
  const format = cmd.optsWithGlobals().format as string | undefined;
  if (format === undefined) return;
  const formats = COMMAND_HELP[commandPath(cmd)]?.formats ?? TJ;
  if (!formats.includes(format))
    throw new UserInputError('--format', `"${format}" is not available here (use ${formats.join(', ')})`);
}

/** Add the formats, the global options and two examples to each leaf command's --help, and check --format first. */
export function finishCommands(program: Command): void {
  program.configureHelp({ helpWidth: helpWidth() });
  const visit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.configureHelp({ helpWidth: helpWidth() });
      visit(sub);
    }
    if (cmd === program || cmd.commands.length > 0) return;
    const help = COMMAND_HELP[commandPath(cmd)];
    // read the width when help is drawn: $COLUMNS may be set after the program is built (tests, embedding)
    cmd.addHelpText('after', () => {
      const width = helpWidth();
      const lines = [
        '',
        ...wrapIndented(`Formats (--format): ${(help?.formats ?? TJ).join(', ')}`, width, '', '  '),
        ...wrapIndented(globalOptionsText(), width, '', '  '),
        ...(help
          ? ['', 'Examples:', ...help.examples.flatMap((e) => wrapIndented(e, width, '  ', '      '))]
          : []),
      ];
      return lines.join('\n');
    });
  };
  visit(program);
  program.hook('preAction', (_root, action) => checkFormat(action));
}
