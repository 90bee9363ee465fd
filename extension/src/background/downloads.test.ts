import { describe, expect, it } from 'vitest';
import { safeFilename, startDownload, onDownloadChanged } from './downloads';
import { getSession } from '../lib/storage';
import { startSession } from './session';
import { demoHulpvraag, demoLogin } from '../../test/fake-server';
import { fakeBrowser } from '../../test/fake-browser';

describe('downloads', () => {
  it('keeps file names the browser accepts', () => {
    expect(safeFilename('verslag observatie.pdf')).toBe('verslag observatie.pdf');
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('a:b*c?.pdf')).toBe('a_b_c_.pdf');
    expect(safeFilename('...')).toBe('bijlage');
  });

  it('keeps the requested name unless the browser only added a number', async () => {
    const { finalName } = await import('./downloads');
    expect(finalName('verslag.pdf', '/home/o/Downloads/verslag (1).pdf')).toBe('verslag (1).pdf');
    expect(finalName('verslag.pdf', 'C:\\Users\\o\\Downloads\\verslag.pdf')).toBe('verslag.pdf');
    expect(finalName('verslag.pdf', '/tmp/6321b72a-71e2-4c22-846d-c90304188d1f')).toBe('verslag.pdf');
  });

  it('refuses without a session', async () => {
    expect(await startDownload(demoHulpvraag.attachments[0]!)).toEqual({ ok: false, error: 'session_expired' });
  });

  it('remembers each file of this session under its final name', async () => {
    await startSession(demoLogin());
    const reply = await startDownload(demoHulpvraag.attachments[0]!);
    expect(reply.ok).toBe(true);
    expect(fakeBrowser().downloads.list[0]).toMatchObject({
      url: 'http://kindkans.test/api/v1/attachments/a1/content',
      headers: [{ name: 'Authorization', value: 'Bearer tok-123' }],
    });
    const id = reply.ok ? reply.downloadId : -1;
    await onDownloadChanged({ id, filename: { current: '/home/ouder/Downloads/verslag observatie (1).pdf' } });
    await onDownloadChanged({ id, state: { current: 'complete' } });
    expect(await getSession('downloads')).toEqual([
      { downloadId: id, attachmentId: 'a1', filename: 'verslag observatie (1).pdf', state: 'complete' },
    ]);
  });
});
