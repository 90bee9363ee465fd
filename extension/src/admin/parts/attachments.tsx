// Bijlagen of a hulpvraag or a tab item: the list with Downloaden and Verwijderen (confirmed,
// naming the file), and a drop zone that uploads several files at once, each with its progress.
import { useState } from 'preact/hooks';
import { sendToBackground } from '../../lib/messages';
import { errorMessage } from '../../lib/errors';
import { formatSize } from '../../lib/format';
import { adminApi, uploadFile, type Attachment, type UploadTarget } from '../api';
import { at } from '../i18n';
import { confirm } from './confirm';

interface Upload { key: string; name: string; progress: number; error?: string }

export function Attachments({ files, target, onChange, readOnly = false }: { files: Attachment[]; target: UploadTarget; onChange: () => void; readOnly?: boolean }) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);
  const [message, setMessage] = useState('');

  const update = (key: string, patch: Partial<Upload>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)));

  async function uploadAll(list: FileList | File[]) {
    const chosen = [...list];
    const entries = chosen.map((f, i) => ({ key: `${Date.now()}-${i}-${f.name}`, name: f.name, progress: 0 }));
    setUploads((u) => [...u.filter((x) => !x.error), ...entries]);
    await Promise.all(chosen.map(async (file, i) => {
      const key = entries[i]!.key;
      try {
        await uploadFile(target, file, (progress) => update(key, { progress }));
        setUploads((list) => list.filter((u) => u.key !== key));
        setMessage(at('uploaded', { file: file.name }));
      } catch (err) {
        update(key, { error: at('uploadFailed', { file: file.name, reason: errorMessage(err) }) });
      }
    }));
    onChange();
  }

  async function remove(file: Attachment) {
    if (!(await confirm(at('deleteFileConfirm', { file: file.filename }), at('delete')))) return;
    try {
      await adminApi.deleteAttachment(file.id);
      onChange();
    } catch (err) {
      setMessage(errorMessage(err));
    }
  }

  return (
    <section class="attachments" aria-label={at('attachments')}>
      <h3>{at('attachments')}</h3>
      {files.length === 0 ? <p class="muted">{at('noAttachments')}</p> : (
        <ul class="file-list">
          {files.map((f) => (
            <li key={f.id}>
              <span class="file-name">{f.filename}</span> <span class="muted">{formatSize(f.size)}</span>
              <span class="file-actions">
                <button type="button" class="button button-small" aria-label={at('downloadFile', { file: f.filename })}
                  onClick={() => void sendToBackground({ type: 'download', attachment: { ...f, hulpvraagId: f.hulpvraagId ?? null } })}>{at('download')}</button>
                {!readOnly && <button type="button" class="button button-small button-quiet" aria-label={at('deleteFile', { file: f.filename })} onClick={() => void remove(f)}>{at('delete')}</button>}
              </span>
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <div
          class={`dropzone${over ? ' dropzone-over' : ''}`}
          data-testid="dropzone"
          onDragOver={(e) => { e.preventDefault(); setOver(true); }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => { e.preventDefault(); setOver(false); if (e.dataTransfer?.files.length) void uploadAll(e.dataTransfer.files); }}
        >
          <span>{at('dropFiles')} </span>
          <label class="link">
            {at('chooseFiles')}
            <input type="file" multiple class="sr-only" onChange={(e) => { const f = e.currentTarget.files; if (f?.length) void uploadAll(f); e.currentTarget.value = ''; }} />
          </label>
          <p class="hint">{at('allowedTypes')}</p>
        </div>
      )}
      {uploads.map((u) => (
        <div key={u.key} class="upload-row">
          {u.error ? <p class="alert alert-error" role="alert">{u.error}</p> : (
            <>
              <span>{u.name}</span>
              <progress max={100} value={Math.round(u.progress * 100)} aria-label={at('uploading', { file: u.name })} />
            </>
          )}
        </div>
      ))}
      <p class="sr-only" role="status">{message}</p>
    </section>
  );
}
