// Downloads through the browser's downloads API, with the token in a header (never in the
// URL). Every file is remembered for this session so the logout screen can name it.
import { browser, type Downloads } from '../lib/browser';
import type { Attachment } from '../lib/server-routes';
import { attachmentContentUrl } from '../lib/api';
import { getSession, setSession, type DownloadRecord } from '../lib/storage';
import type { DownloadReply } from '../lib/messages';

/**
 * The extensions a file of each type may be saved under: the server's allow-list
 * (server/src/features/attachments/sniff.ts), kept here too so that a name that disagrees with
 * the file (`Rapport.bat`, `verslag.pdf.hta`) never reaches the Downloads folder as such.
 */
export const extensionsByType: Record<string, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'application/vnd.oasis.opendocument.text': ['.odt'],
  'text/plain': ['.txt'],
};

/**
 * A file name the browser accepts (no folders, no reserved characters) that ends in an
 * extension of the file's type (`contentType` as the server gave it): a wrong or missing one
 * gets the type's own appended. Null for a type outside the allow-list: not saved at all.
 */
export function safeFilename(name: string, contentType: string): string | null {
  const allowed = extensionsByType[contentType.split(';')[0]!.trim().toLowerCase()];
  if (!allowed) return null;
  const cleaned = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*~]+/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 180) || 'bijlage';
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 ? cleaned.slice(dot).toLowerCase() : '';
  return allowed.includes(ext) ? cleaned : `${cleaned}${allowed[0]}`;
}

export async function startDownload(attachment: Attachment): Promise<DownloadReply> {
  const session = await getSession('session');
  if (!session) return { ok: false, error: 'session_expired' };
  const filename = safeFilename(attachment.filename, attachment.contentType);
  if (!filename) return { ok: false, error: 'unsupported_media_type' };
  try {
    const downloadId = await browser.downloads.download({
      url: await attachmentContentUrl(attachment.id),
      filename,
      saveAs: false,
      conflictAction: 'uniquify',
      headers: [{ name: 'Authorization', value: `Bearer ${session.token}` }],
    });
    await updateRecords((records) => [
      ...records,
      { downloadId, attachmentId: attachment.id, filename, state: 'in_progress' },
    ]);
    await setSession({ lastActivity: Date.now() });
    return { ok: true, downloadId };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'download_failed' };
  }
}

async function updateRecords(change: (records: DownloadRecord[]) => DownloadRecord[]) {
  const records = await getSession('downloads');
  await setSession({ downloads: change(records) });
}

/**
 * The name the file got on disk, e.g. `verslag (1).pdf` when `verslag.pdf` existed. A name
 * that does not resemble the requested one (a browser under test automation saves under a
 * GUID) is not what the parent will look for, so the requested name is kept then.
 */
export function finalName(requested: string, fullPath: string): string {
  const base = fullPath.split(/[\\/]/).pop() ?? '';
  const stem = requested.replace(/\.[^.]*$/, '');
  return base.startsWith(stem) ? base : requested;
}

export async function onDownloadChanged(delta: Downloads.OnChangedDownloadDeltaType): Promise<void> {
  const records = await getSession('downloads');
  if (!records.some((r) => r.downloadId === delta.id)) return;
  const state = delta.state?.current as DownloadRecord['state'] | undefined;
  const fullName = delta.filename?.current;
  await updateRecords((list) =>
    list.map((r) => {
      if (r.downloadId !== delta.id) return r;
      const next = { ...r };
      if (state) next.state = state;
      if (fullName) next.filename = finalName(r.filename, fullName);
      if (delta.error?.current) next.error = delta.error.current;
      return next;
    }),
  );
}
