// Every problem+json `code` of the API as a plain sentence for the parent.
import { ApiError } from './api';
import { t, type MessageKey } from './i18n';

const known = new Set<string>([
  'invalid_credentials', 'too_many_attempts', 'invalid_code', 'not_found', 'forbidden',
  'validation_failed', 'weak_password', 'token_expired', 'payload_too_large',
  'unsupported_media_type', 'session_expired', 'unauthorized', 'network_error',
  'internal_error', 'service_unavailable', 'conflict',
]);

/** "2 minuten", "45 seconden": how long to wait, rounded up to whole minutes past 90 s. */
export function waitText(seconds: number): string {
  if (seconds <= 90) return seconds === 1 ? t('second') : t('seconds', { n: Math.ceil(seconds) });
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? t('minute') : t('minutes', { n: minutes });
}

export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return t('error_unknown', { code: 'client' });
  const { code, retryAfter, status } = error;
  if (code === 'too_many_attempts' || status === 429) {
    return retryAfter ? t('error_too_many_attempts', { wait: waitText(retryAfter) }) : t('error_too_many_attempts_nowait');
  }
  if (known.has(code)) return t(`error_${code}` as MessageKey);
  if (status === 503) return t('error_service_unavailable');
  if (status >= 500) return t('error_internal_error');
  return t('error_unknown', { code });
}
