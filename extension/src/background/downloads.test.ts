import { describe, expect, it } from 'vitest';
import { extensionsByType, safeFilename, startDownload, onDownloadChanged } from './downloads';
import { getSession } from '../lib/storage';
import { startSession } from './session';
import { demoHulpvraag, demoLogin } from '../../test/fake-server';
import { fakeBrowser } from '../../test/fake-browser';

describe('downloads', () => {
  it('keeps file names the browser accepts', () => {
    expect(safeFilename('verslag observatie.pdf', 'application/pdf')).toBe('verslag observatie.pdf');
    expect(safeFilename('../../etc/passwd', 'text/plain; charset=utf-8')).toBe('passwd.txt');
    expect(safeFilename('a:b*c?.pdf', 'application/pdf')).toBe('a_b_c_.pdf');
    expect(safeFilename('...', 'application/pdf')).toBe('bijlage.pdf');
  });

  it('saves a file only under an extension of its type: the same allow-list as the server', async () => {
    expect(safeFilename('verslag.html', 'text/plain; charset=utf-8')).toBe('verslag.html.txt');
    expect(safeFilename('logo.svg', 'text/plain; charset=utf-8')).toBe('logo.svg.txt');
    expect(safeFilename('Rapport.bat', 'text/plain; charset=utf-8')).toBe('Rapport.bat.txt');
    expect(safeFilename('setup.exe', 'image/jpeg')).toBe('setup.exe.jpg');
    expect(safeFilename('verslag.pdf.hta', 'application/pdf')).toBe('verslag.pdf.hta.pdf');
    expect(safeFilename('verslag.hta.', 'application/pdf')).toBe('verslag.hta.pdf');
    expect(safeFilename('foto.JPEG', 'image/jpeg')).toBe('foto.JPEG');
    expect(safeFilename('foto.jpg', 'image/jpeg')).toBe('foto.jpg');
    expect(safeFilename('pagina.html', 'text/html')).toBeNull();
    // The server's list (server code is imported by this test only, never by the extension).
    const server = await import('../../../server/src/features/attachments/sniff');
    expect(Object.fromEntries(Object.entries(server.extensionsByType).map(([type, exts]) => [type.split(';')[0], exts]))).toEqual(extensionsByType);
  });

  it('refuses to save a type outside the allow-list', async () => {
    await startSession(demoLogin());
    const attachment = { ...demoHulpvraag.attachments[0]!, filename: 'pagina.html', contentType: 'text/html' };
    expect(await startDownload(attachment)).toEqual({ ok: false, error: 'unsupported_media_type' });
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
      url: 'https://kindkans.test/api/v1/attachments/a1/content',
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
