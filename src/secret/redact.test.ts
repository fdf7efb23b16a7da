import { describe, expect, it } from 'vitest';
import { maskSecret, redactMatch } from './redact.js';

describe('masking', () => {
  it('shows at most 4 characters and a quarter of the secret, then 4 to 16 stars', () => {
    expect(maskSecret('AKIAZ7VRSQ5TJH4PLM2X')).toBe('AKIA****************');
    expect(maskSecret('hunter2')).toBe('h******');
    expect(maskSecret('abc')).toBe('****');
    expect(maskSecret('x'.repeat(3000))).toBe(`xxxx${'*'.repeat(16)}`);
    // a PEM body's line breaks are not shown
    expect(maskSecret('MIIB\nOgIB\nAAJB')).toBe('MII*********');
  });

  it('keeps the context on one line, without the lone boundary character a pattern needed', () => {
    const match = '=AKIAZ7VRSQ5TJH4PLM2X\n';
    expect(redactMatch(match, 1, 21)).toBe('AKIA****************');
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----';
    expect(redactMatch(pem, 32, 46)).toBe(
      '-----BEGIN RSA PRIVATE KEY----- MII*********** -----END RSA PRIVATE KEY-----',
    );
  });
});
