// Downloads through the browser's downloads API, with the token in a header (never in the
// URL). Every file is remembered for this session so the logout screen can name it.
import { browser, type Downloads } from '../lib/browser';
import type { Attachment } from '../lib/server-routes';
import { attachmentContentUrl } from '../lib/api';
import { getSession, setSession, type DownloadRecord } from '../lib/storage';
import type { DownloadReply } from '../lib/messages';

/** A file name the browser accepts: no folders, no reserved characters. */
export function safeFilename(name: string): string {
  const cleaned = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*~]+/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 180);
  return cleaned || 'bijlage';
}

export async function startDownload(attachment: Attachment): Promise<DownloadReply> {
  const session = await getSession('session');
  if (!session) return { ok: false, error: 'session_expired' };
  const filename = safeFilename(attachment.filename);
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
