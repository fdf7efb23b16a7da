import type { SecretRule } from '../types.js';

/** A Slack bot, user, app or refresh token: `xoxb-`/`xoxp-`/… then numeric ids and a random part. */
export const slackToken = {
  id: 'slack-token',
  title: 'Slack token',
  severity: 'HIGH',
  keywords: ['xoxa-', 'xoxb-', 'xoxe-', 'xoxo-', 'xoxp-', 'xoxr-', 'xoxs-'],
  pattern: '(?P<secret>xox[abeoprs]-[0-9]{6,}-[0-9A-Za-z-]{10,250})',
} as const satisfies SecretRule;
