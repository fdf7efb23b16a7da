import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOW_RULES } from '../allow/index.js';
import { compileSecretRules, findSecrets } from '../find-secrets.js';
import { samples } from '../test-support/samples.js';
import { SECRET_RULES } from './index.js';

/**
 * Per rule of the catalogue: files in which it must fire (each credential in its real format) and look-alikes in
 * which it must not (too short, a placeholder, a public counterpart, a documented example).
 */
/** A shell-style reference to an environment variable: `${NAME}`. */
const env = (name: string) => `\${${name}}`;

const CASES: Record<string, { fires: (() => string)[]; silent: (() => string)[] }> = {
  'aws-access-key-id': {
    fires: [() => `[default]\naws_access_key_id = ${samples.awsAccessKeyId()}\n`],
    silent: [
      () => `aws_access_key_id = ${samples.awsAccessKeyId().slice(0, -1)}\n`,
      () => `id=${samples.awsAccessKeyId()}X\n`,
      () => 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n',
    ],
  },
  'aws-secret-access-key': {
    fires: [
      () => `[default]\naws_secret_access_key = ${samples.awsSecret()}\n`,
      () => `export AWS_SECRET_ACCESS_KEY="${samples.awsSecret()}"\n`,
    ],
    silent: [
      () => `aws_secret_access_key = ${env('AWS_SECRET_ACCESS_KEY')}\n`,
      () => `aws_secret_access_key = ${samples.awsSecret().slice(0, 39)}\n`,
      () => 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
    ],
  },
  'azure-storage-account-key': {
    fires: [
      () =>
        `DefaultEndpointsProtocol=https;AccountName=reports;AccountKey=${samples.azureKey()};EndpointSuffix=core.windows.net\n`,
    ],
    silent: [
      () => 'DefaultEndpointsProtocol=https;AccountName=reports;AccountKey=<account-key>\n',
      () =>
        'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==\n',
    ],
  },
  'database-url-password': {
    fires: [
      () => `DATABASE_URL=postgres://reports:${samples.dbPassword()}@db.internal:5432/reports\n`,
      () => `spring.data.mongodb.uri=mongodb+srv://app:${samples.dbPassword()}@cluster0.example.net/app\n`,
    ],
    silent: [
      () => `DATABASE_URL=postgres://reports:${env('DB_PASSWORD')}@db.internal:5432/reports\n`,
      () => 'DATABASE_URL=postgres://db.internal:5432/reports\n',
      () => 'REDIS_URL=redis://user@cache:6379/0\n',
    ],
  },
  'gcp-service-account-key': {
    fires: [samples.gcpServiceAccount],
    silent: [
      () => JSON.stringify({ type: 'service_account', project_id: 'p', private_key: '' }, null, 2),
      () => JSON.stringify({ type: 'authorized_user', client_id: 'x', refresh_token: 'y' }, null, 2),
    ],
  },
  'github-fine-grained-token': {
    fires: [() => `GH_TOKEN=${samples.githubFineGrained()}\n`],
    silent: [() => `GH_TOKEN=${samples.githubFineGrained().slice(0, 60)}\n`],
  },
  'github-token': {
    fires: [
      () => `GITHUB_TOKEN=${samples.githubToken()}\n`,
      () => `"token": "${samples.githubToken().replace('ghp_', 'ghs_')}"`,
    ],
    silent: [
      () => `GITHUB_TOKEN=${samples.githubToken().slice(0, 20)}\n`,
      () => `GITHUB_TOKEN=${samples.githubToken().replace('ghp_', 'ghx_')}\n`,
    ],
  },
  'gitlab-token': {
    fires: [() => `private_token = ${samples.gitlabToken()}\n`],
    silent: [() => 'private_token = glpat-xxxxxxxx\n', () => `private_token = ${samples.gitlabToken()}X\n`],
  },
  jwt: {
    fires: [() => `Authorization: Bearer ${samples.jwt()}\n`],
    silent: [() => `header=${samples.jwt().split('.').slice(0, 2).join('.')}\n`],
  },
  'npm-access-token': {
    fires: [() => `//registry.npmjs.org/:_authToken=${samples.npmToken()}\n`],
    silent: [
      () => `//registry.npmjs.org/:_authToken=${env('NPM_TOKEN')}\n`,
      () => `//registry.npmjs.org/:_authToken=${samples.npmToken().slice(0, 30)}\n`,
    ],
  },
  'password-assignment': {
    fires: [
      () => `DB_PASSWORD="${samples.dbPassword()}"\n`,
      () => `{"username": "reports", "password": "${samples.dbPassword()}"}`,
    ],
    silent: [
      () => `password: "${env('DB_PASSWORD')}"\n`,
      () => 'password = "changeme"\n',
      () => 'password = "short"\n',
      () => 'read -s -p "Enter password: " PASSWORD\n',
    ],
  },
  'private-key': {
    fires: [samples.rsaPkcs1, samples.ecSec1, samples.pkcs8, samples.openssh, samples.pgp],
    silent: [
      () => '-----BEGIN RSA PRIVATE KEY-----\n<paste your key here>\n-----END RSA PRIVATE KEY-----\n',
      () => samples.rsaPkcs1().replaceAll('RSA PRIVATE KEY', 'PUBLIC KEY'),
      // the key inside a service account file is escaped JSON: that rule's finding, not this one's
      samples.gcpServiceAccount,
    ],
  },
  'pypi-upload-token': {
    fires: [() => `[pypi]\nusername = __token__\npassword = ${samples.pypiToken()}\n`],
    silent: [() => 'password = pypi-AgEIcHlwaS5vcmcshort\n'],
  },
  'slack-token': {
    fires: [() => `SLACK_BOT_TOKEN=${samples.slackToken()}\n`],
    silent: [() => 'SLACK_BOT_TOKEN=xoxb-your-bot-token-here\n'],
  },
  'stripe-secret-key': {
    fires: [() => `STRIPE_KEY=${samples.stripeKey()}\n`],
    silent: [
      () => `STRIPE_PUBLISHABLE_KEY=${samples.stripeKey().replace('sk_', 'pk_')}\n`,
      () => 'STRIPE_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc\n',
    ],
  },
};

const matcher = compileSecretRules(SECRET_RULES, ALLOW_RULES);
const rulesFiring = (text: string, path = 'srv/app/config') =>
  findSecrets(matcher, path, text).map((m) => m.rule.id);

describe('secret rules', () => {
  it('the registry lists every rule file once, with unique kebab-case ids and lower-case keywords unless case counts', () => {
    const files = readdirSync(new URL('.', import.meta.url)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts',
    );
    expect(SECRET_RULES.map((r) => `${r.id}.ts`).sort()).toEqual(files.sort());
    expect(new Set(SECRET_RULES.map((r) => r.id)).size).toBe(SECRET_RULES.length);
    for (const r of SECRET_RULES) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      if (!r.caseSensitive) for (const k of r.keywords) expect(k, r.id).toBe(k.toLowerCase());
    }
  });

  it('the allow registry lists every allow rule file once, each with a path or a secret pattern', () => {
    const files = readdirSync(new URL('../allow/', import.meta.url)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts',
    );
    expect(ALLOW_RULES.map((r) => `${r.id}.ts`).sort()).toEqual(files.sort());
    for (const r of ALLOW_RULES) expect(r.path ?? r.secret, r.id).toBeDefined();
  });

  it('every rule has cases that fire and look-alikes that do not', () => {
    expect(Object.keys(CASES).sort()).toEqual(SECRET_RULES.map((r) => r.id).sort());
    for (const c of Object.values(CASES)) {
      expect(c.fires.length).toBeGreaterThan(0);
      expect(c.silent.length).toBeGreaterThan(0);
    }
  });

  for (const rule of SECRET_RULES) {
    const cases = CASES[rule.id];
    if (!cases) continue;
    it(`${rule.id}: fires on the real format, not on its look-alikes`, () => {
      for (const sample of cases.fires) expect(rulesFiring(sample()), sample()).toContain(rule.id);
      for (const sample of cases.silent) expect(rulesFiring(sample()), sample()).not.toContain(rule.id);
    });
  }

  it('never shows a secret whole: the match keeps a short prefix and masks the rest', () => {
    for (const c of Object.values(CASES))
      for (const sample of c.fires) {
        const text = sample();
        for (const m of findSecrets(matcher, 'srv/app/config', text)) {
          expect(m.match).toMatch(/\*{4,}/);
          for (const secret of [
            samples.awsAccessKeyId(),
            samples.awsSecret(),
            samples.githubToken(),
            samples.dbPassword(),
            samples.npmToken(),
            samples.stripeKey(),
            samples.jwt(),
          ])
            expect(m.match).not.toContain(secret.slice(0, 12));
        }
      }
    const [aws] = findSecrets(matcher, 'root/.aws/credentials', `key = ${samples.awsAccessKeyId()}\n`);
    expect(aws?.match).toBe('AKIA****************');
  });

  it('runs patterns around keywords only, wherever they are in a large file, whatever its characters', () => {
    const filler = 'x = 1\n'.repeat(200_000);
    const text = `${filler}GITHUB_TOKEN=${samples.githubToken()}\n${filler}${samples.rsaPkcs1()}`;
    expect(findSecrets(matcher, 'srv/app/big.env', text).map((m) => [m.rule.id, m.line])).toEqual([
      ['github-token', 200_001],
      ['private-key', 400_003],
    ]);
    // `İ` lower-cases to two characters: positions shift, the secret is still found on its line
    const turkish = `İstanbul\n${'İ'.repeat(1000)}\nGITHUB_TOKEN=${samples.githubToken()}\n`;
    expect(findSecrets(matcher, 'srv/app/.env', turkish).map((m) => [m.rule.id, m.line])).toEqual([
      ['github-token', 3],
    ]);
  });

  it('reports the line where the secret starts', () => {
    const text = `# settings\n\nGITHUB_TOKEN=${samples.githubToken()}\n`;
    expect(findSecrets(matcher, 'srv/app/.env', text).map((m) => m.line)).toEqual([3]);
  });

  it('allow rules: test paths, system directories, Markdown and documented examples report nothing', () => {
    const text = `GITHUB_TOKEN=${samples.githubToken()}\n`;
    expect(rulesFiring(text, 'srv/app/.env')).toEqual(['github-token']);
    for (const path of [
      'srv/app/test/fixtures/.env',
      'srv/app/src/client_test.go',
      'usr/share/doc/app/README',
      'srv/app/docs/setup.md',
      'srv/app/vendor/github.com/x/y/config.go',
    ])
      expect(rulesFiring(text, path), path).toEqual([]);
  });
});
