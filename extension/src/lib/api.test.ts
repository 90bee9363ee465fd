import { describe, expect, it } from 'vitest';
import { api, ApiError } from './api';
import { getSession, setLocal, setSession } from './storage';
import { fakeServer, demoLogin } from '../../test/fake-server';
import { fakeBrowser } from '../../test/fake-browser';

describe('api client', () => {
  it('talks to the configured server and sends the token as a Bearer header', async () => {
    const server = fakeServer().route('GET /me', { body: { id: 'u1' } });
    await setLocal('settings', { serverUrl: 'https://kindkans.example.nl/', language: 'nl', reminderMinutes: 10 });
    await setSession({ session: { ...demoLogin(), startedAt: 0 }, lastActivity: 1 });
    await api.me();
    expect(server.fetch.mock.calls[0]![0]).toBe('https://kindkans.example.nl/api/v1/me');
    expect(server.calls[0]!.headers.authorization).toBe('Bearer tok-123');
    expect(await getSession('lastActivity')).toBeGreaterThan(1);
  });

  it('turns problem+json into an ApiError with Retry-After', async () => {
    fakeServer().problemRoute('POST /auth/login', 429, 'too_many_attempts', { 'Retry-After': '120' });
    const error = await api.login({ organisation: 'PO2507', username: 'a', password: 'b', code: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'too_many_attempts', status: 429, retryAfter: 120 });
  });

  it('reports an unreachable server as network_error', async () => {
    fakeServer().fetch.mockRejectedValue(new TypeError('Failed to fetch'));
    await expect(api.organisations()).rejects.toMatchObject({ code: 'network_error' });
  });

  it('asks the background to log out when the server says the session is dead', async () => {
    fakeServer().problemRoute('GET /news', 401, 'unauthorized');
    const messages: unknown[] = [];
    fakeBrowser().runtime.onMessage.addListener((m: unknown) => void messages.push(m));
    await setSession({ session: { ...demoLogin(), startedAt: 0 } });
    await expect(api.news()).rejects.toMatchObject({ code: 'session_expired' });
    expect(messages).toEqual([{ type: 'logout', reason: 'expired' }]);
  });
});
