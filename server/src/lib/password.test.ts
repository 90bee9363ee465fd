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
