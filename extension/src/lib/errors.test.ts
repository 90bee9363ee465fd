import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { errorMessage, waitText } from './errors';
import { switchLanguage } from './i18n';
import { nl } from './i18n/nl';

const codes = [
  'invalid_credentials', 'not_found', 'forbidden', 'validation_failed', 'too_many_attempts',
  'weak_password', 'invalid_code', 'token_expired', 'payload_too_large', 'unsupported_media_type',
  'session_expired', 'network_error', 'internal_error',
];

describe('errorMessage', () => {
  afterEach(() => switchLanguage('nl'));

  it('maps every API code to its own Dutch sentence', () => {
    const sentences = codes.map((code) => errorMessage(new ApiError(code, 400)));
    for (const sentence of sentences) {
      expect(sentence).not.toMatch(/Er ging iets mis \(/);
      expect(sentence.length).toBeGreaterThan(20);
    }
    expect(new Set(sentences).size).toBe(codes.length);
  });

  it('tells how long to wait when throttled', () => {
    expect(errorMessage(new ApiError('too_many_attempts', 429, 120))).toBe('Te veel pogingen. Wacht 2 minuten en probeer het dan opnieuw.');
    expect(errorMessage(new ApiError('too_many_attempts', 429, 30))).toContain('Wacht 30 seconden');
    expect(errorMessage(new ApiError('too_many_attempts', 429))).toBe(nl.error_too_many_attempts_nowait);
    expect(waitText(61)).toBe('61 seconden');
    expect(waitText(600)).toBe('10 minuten');
  });

  it('hints at the phone clock when a code is refused', () => {
    expect(errorMessage(new ApiError('invalid_credentials', 401))).toMatch(/klok van uw telefoon/);
    expect(errorMessage(new ApiError('invalid_code', 400))).toMatch(/klok van uw telefoon/);
  });

  it('says something plain for unknown codes and server failures', () => {
    expect(errorMessage(new ApiError('teapot', 418))).toBe('Er ging iets mis (teapot). Probeer het later opnieuw.');
    expect(errorMessage(new ApiError('whatever', 503))).toBe(nl.error_service_unavailable);
    expect(errorMessage(new Error('boom'))).toMatch(/Er ging iets mis/);
  });

  it('speaks English when asked', async () => {
    await switchLanguage('en');
    expect(errorMessage(new ApiError('too_many_attempts', 429, 90))).toBe('Too many attempts. Wait 90 seconds and try again.');
  });
});
