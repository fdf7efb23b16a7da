import type { SecretRule } from '../types.js';

/** A quoted password assigned to a `password`-like name (`DB_PASSWORD = "…"`, `"password": "…"`), at least 8 characters. */
export const passwordAssignment = {
  id: 'password-assignment',
  title: 'Password in an assignment',
  severity: 'MEDIUM',
  keywords: ['password', 'passwd'],
  startsAtKeyword: true,
  reach: 192,
  lowerCase: true,
  pattern: String.raw`pass(?:word|wd)[a-z0-9_.-]*["']?\s*(?::=|=>|:|=)\s*["'](?P<secret>[^"'\s]{8,128})["']`,
  allow: [
    // placeholders, references to the environment or templates, and words that stand for a password
    String.raw`(?i)\A(?:\$.*|%.*|<.*>|\{\{.*\}\}|\{.*\}|\*+|x+|\.+|(?:your|my|the|new|old|default)?[_-]?pass(?:word|wd)[a-z0-9_-]*|changeme|example\w*|secret|none|null|undefined|true|false)\z`,
  ],
} as const satisfies SecretRule;
