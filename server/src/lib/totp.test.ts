import { describe, expect, it } from 'vitest';
import { ScureBase32Plugin } from 'otplib';
import { groupSecret, newTotpSecret, timeStepAt, totpCode, totpUri, verifyTotp } from './totp.ts';

// RFC 6238 appendix B, SHA-1 rows: the ASCII seed "12345678901234567890".
const RFC_SECRET = new ScureBase32Plugin().encode(new TextEncoder().encode('12345678901234567890'));
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];
const at = (seconds: number) => new Date(seconds * 1000);

describe('TOTP (RFC 6238, SHA-1, 30 s)', () => {
  it.each(VECTORS)('matches the RFC vector at T=%i', async (t, expected) => {
    expect(await totpCode(RFC_SECRET, at(t), 8)).toBe(expected);
    // 6 digits are the same truncation mod 10^6: the last six of the 8-digit value.
    expect(await totpCode(RFC_SECRET, at(t), 6)).toBe(expected.slice(2));
    expect(await verifyTotp(RFC_SECRET, expected.slice(2), at(t))).toBe(Math.floor(t / 30));
  });

  it('accepts the codes of one step before and after, refuses two steps away', async () => {
    const now = at(1234567890);
    const step = timeStepAt(now);
    const codeAt = (s: number) => totpCode(RFC_SECRET, at(s * 30 + 5));
    expect(await verifyTotp(RFC_SECRET, await codeAt(step - 1), now)).toBe(step - 1);
    expect(await verifyTotp(RFC_SECRET, await codeAt(step + 1), now)).toBe(step + 1);
    expect(await verifyTotp(RFC_SECRET, await codeAt(step - 2), now)).toBeNull();
    expect(await verifyTotp(RFC_SECRET, await codeAt(step + 2), now)).toBeNull();
  });

  it('refuses a step at or below the last accepted one (replay)', async () => {
    const now = at(1234567890);
    const step = timeStepAt(now);
    const code = await totpCode(RFC_SECRET, now);
    expect(await verifyTotp(RFC_SECRET, code, now, step - 1)).toBe(step);
    expect(await verifyTotp(RFC_SECRET, code, now, step)).toBeNull();
    expect(await verifyTotp(RFC_SECRET, await totpCode(RFC_SECRET, at((step + 1) * 30)), now, step)).toBe(step + 1);
  });

  it.each(['abc', '1234567', '12345', '', ' 123456', '12345６', '١٢٣٤٥٦', '123456\n'])('treats the malformed code %j as wrong, without throwing', async (code) => {
    await expect(verifyTotp(RFC_SECRET, code, at(59))).resolves.toBeNull();
  });

  it('makes 20-byte secrets, grouped in fours, in an otpauth URI', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(Buffer.from(new ScureBase32Plugin().decode(secret)).length).toBe(20);
    expect(newTotpSecret()).not.toBe(secret);
    expect(groupSecret('GV3FFEU4X32ZFN3WSX4JFY6D2VTXYX77')).toBe('gv3f feu4 x32z fn3w sx4j fy6d 2vtx yx77');
    expect(totpUri('j.devries', secret)).toBe(`otpauth://totp/Kindkans:j.devries?secret=${secret}&issuer=Kindkans`);
  });
});
