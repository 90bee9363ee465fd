import { describe, expect, it } from 'vitest';
import { DISPLAY_NAME_MAX, displayNameProblem } from './display-name.ts';

describe('display names are plain names', () => {
  it('accepts the names people have', () => {
    for (const name of ['Anna de Vries', 'J. de Vries', 'Jan-Willem van ’t Hek', "D'Artagnan O'Neill", 'Zoë Çelik-Öztürk', 'Nguyễn Thị Minh Khai', '王小明', 'محمد العلي', 'Beheerder (PO2507)', 'Sam 2', 'x'.repeat(DISPLAY_NAME_MAX)]) {
      expect([name, displayNameProblem(name)]).toEqual([name, null]);
    }
  });

  it('refuses URLs, e-mail addresses, markup, control characters and names over 80 characters', () => {
    for (const name of [
      'https://evil.example/login',
      'Klik hier http://x.y',
      'www.kindkans-login.nl',
      'Anna evil.com',
      'Anna de Vries (kindkans-support.nl)',
      'anna@example.org',
      'Anna @ school',
      '<b>Anna</b>',
      'Anna\u0000',
      'Anna\nde Vries',
      'Anna / Bert',
      'x'.repeat(DISPLAY_NAME_MAX + 1),
      '   ',
    ]) {
      expect([name, displayNameProblem(name)]).toEqual([name, expect.any(String)]);
    }
  });
});
