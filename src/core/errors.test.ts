import { describe, expect, it } from 'vitest';
import { ExternalServiceError, redactUrl, UserInputError } from './errors.js';

describe('errors', () => {
  it('names the input first in a user error', () => {
    const e = new UserInputError('feeds/x.json', 'truncated JSON at byte 120');
    expect(e.message).toBe('feeds/x.json: truncated JSON at byte 120');
    expect(e.input).toBe('feeds/x.json');
  });
  it('marks 429 and 5xx answers as retryable, 4xx as final', () => {
    expect(new ExternalServiceError('registry', 'busy', { status: 429 }).retryable).toBe(true);
    expect(new ExternalServiceError('registry', 'down', { status: 503 }).retryable).toBe(true);
    expect(new ExternalServiceError('registry', 'no', { status: 401 }).retryable).toBe(false);
  });
  it('removes passwords and token parameters from URLs', () => {
    expect(redactUrl('postgres://bulkhead:s3cret@db:5432/x')).toBe('postgres://bulkhead:***@db:5432/x');
    expect(redactUrl('https://feed.example/x?token=abc&page=2')).toBe(
      'https://feed.example/x?token=***&page=2',
    );
    expect(redactUrl('not a url user:pw@')).toBe('not a url user:pw@');
  });
});
