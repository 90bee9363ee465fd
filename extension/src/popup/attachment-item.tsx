import { useEffect, useState } from 'preact/hooks';
import { browser } from '../lib/browser';
import type { Attachment } from '../lib/server-routes';
import { formatDate, formatSize } from '../lib/format';
import { t, type MessageKey } from '../lib/i18n';
import { lang } from '../stores/settings';
import { send } from '../lib/messages';
import { Alert } from '../components/alert';
import { ProgressBar } from '../components/progress-bar';

type State =
  | { kind: 'idle' }
  | { kind: 'running'; downloadId: number; progress: number | null }
  | { kind: 'done' }
  | { kind: 'failed'; reason: string };

/** Chrome's interrupt reasons, grouped into three plain sentences. */
export function downloadFailureReason(error: string): string {
  let key: MessageKey = 'download_unknown';
  if (/^NETWORK_/.test(error)) key = 'download_network';
  else if (/^SERVER_/.test(error)) key = 'download_server';
  else if (/^FILE_/.test(error)) key = 'download_disk';
  return t(key);
}

export function AttachmentItem({ attachment }: { attachment: Attachment }) {
  const [state, setState] = useState<State>({ kind: 'idle' });

  // While downloading, follow the bytes for the progress bar.
  useEffect(() => {
    if (state.kind !== 'running') return;
    const timer = setInterval(async () => {
      const [item] = await browser.downloads.search({ id: state.downloadId });
      if (!item) return;
      if (item.state === 'complete') setState({ kind: 'done' });
      else if (item.state === 'interrupted') setState({ kind: 'failed', reason: downloadFailureReason(item.error ?? '') });
      else {
        const total = item.totalBytes > 0 ? item.totalBytes : attachment.size;
        setState({ kind: 'running', downloadId: state.downloadId, progress: total > 0 ? item.bytesReceived / total : null });
      }
    }, 200);
    return () => clearInterval(timer);
  }, [state.kind === 'running' ? state.downloadId : -1]);

  async function start() {
    setState({ kind: 'running', downloadId: -1, progress: null });
    const reply = await send({ type: 'download', attachment }).catch(() => undefined);
    if (reply?.ok) setState({ kind: 'running', downloadId: reply.downloadId, progress: 0 });
    else setState({ kind: 'failed', reason: t(reply?.error === 'session_expired' ? 'error_session_expired' : 'download_unknown') });
  }

  const running = state.kind === 'running';
  return (
    <li class="attachment">
      <div class="attachment-row">
        <span class="attachment-name">
          <span class="file-name">{attachment.filename}</span>
          <span class="muted"> · {formatSize(attachment.size, lang.value)} · {formatDate(attachment.createdAt)}</span>
        </span>
        <button type="button" class="button button-small" disabled={running} onClick={start}
          aria-label={t('downloadFile', { file: attachment.filename })}>
          {t('download')}
        </button>
      </div>
      {running && <ProgressBar value={state.downloadId < 0 ? null : state.progress} label={t('downloading')} />}
      {state.kind === 'done' && <p class="hint" role="status">{t('downloaded')}</p>}
      {state.kind === 'failed' && (
        <Alert kind="error">{t('downloadFailed', { file: attachment.filename, reason: state.reason })}</Alert>
      )}
    </li>
  );
}
