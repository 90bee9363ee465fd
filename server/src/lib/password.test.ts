import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyDummyPassword, verifyPassword } from './password.ts';

describe('passwords', () => {
  it('hashes with argon2id m=19456 t=2 p=1 and verifies', async () => {
    const hash = await hashPassword('een lange zin als wachtwoord');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'een lange zin als wachtwoord')).toBe(true);
    expect(await verifyPassword(hash, 'een lange zin als wachtwoorD')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(await verifyDummyPassword('whatever')).toBe(false);
  });

  it('leaves libuv pool threads free for file reads while many passwords are checked', async () => {
    // argon2 and fs share libuv's 4 pool threads: a burst of logins must not hold up a download's file reads.
    const hash = await hashPassword('een lange zin als wachtwoord');
    const order: string[] = [];
    const checks = Array.from({ length: 8 }, () => verifyPassword(hash, 'een lange zin als wachtwoord').then(() => order.push('verify')));
    const read = stat(new URL(import.meta.url)).then(() => order.push('read'));
    await Promise.all([...checks, read]);
    // Uncapped, the pool takes the 8 checks first (in order) and the read gets a thread only after 5 have ended.
    expect(order.indexOf('read')).toBeLessThan(2);
  });

  it.each([
    ['short', 'kort12345', 'minstens 10'],
    ['too long', 'x'.repeat(129), 'hoogstens 128'],
    ['common (Dutch)', 'wachtwoord1', 'veel gebruikt'],
    ['common, other case', 'WachtWoord123', 'veel gebruikt'],
    ['common (English)', 'password123', 'veel gebruikt'],
    ['common digits', '1234567890', 'veel gebruikt'],
    ['the username', 'J.DeVries2024', 'gebruikersnaam'],
  ])('refuses a password that is %s', (_, password, reason) => {
    expect(passwordProblem(password, 'j.devries2024')).toContain(reason);
  });

  it('accepts 10–128 characters without composition rules, counting Unicode characters', () => {
    expect(passwordProblem('fietsenstalling', 'j.devries')).toBeNull();
    expect(passwordProblem('ééééééééééé', 'j.devries')).toBeNull();
    expect(passwordProblem('🙂🙂🙂🙂🙂', 'j.devries')).toContain('minstens 10');
    expect(passwordProblem('x'.repeat(128), 'j.devries')).toBeNull();
  });
});
