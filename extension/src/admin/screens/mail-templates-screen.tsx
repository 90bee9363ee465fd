// Beheer → Mailsjablonen (admins): the mails a rule sends (subject and text with placeholders,
// insertable with a button), a live preview rendered by the server, and the organisation's
// closing text under every such mail.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useLoad } from '../../components/use-load';
import { adminApi, type MailPreview, type MailSettings, type MailTemplate } from '../api';
import { problemLines, wt } from '../i18n-workflow';
import { confirm } from '../parts/confirm';
import { ProblemBox } from '../parts/problem-box';

async function loadAll() {
  const [templates, settings] = await Promise.all([adminApi.mailTemplates(), adminApi.mailSettings()]);
  return { templates, settings };
}

export function MailTemplatesScreen() {
  const loaded = useLoad(useCallback(loadAll, []));
  const [editing, setEditing] = useState<MailTemplate | 'new' | null>(null);
  const [problem, setProblem] = useState<string[]>([]);
  const remove = async (t: MailTemplate) => {
    if (!(await confirm(wt('confirmDeleteTemplate', { name: t.name }), wt('delete')))) return;
    try { await adminApi.deleteMailTemplate(t.id); setProblem([]); } catch (err) { setProblem(problemLines(err)); }
    loaded.reload();
  };
  const data = loaded.data;
  return (
    <section aria-labelledby="templates-title">
      <div class="section-head">
        <h2 id="templates-title">{wt('mailTemplates')}</h2>
        <button type="button" class="button" onClick={() => setEditing('new')}>+ {wt('newTemplate')}</button>
      </div>
      <p class="muted intro">{wt('mailTemplatesIntro')}</p>
      {editing && data && (
        <TemplateForm key={editing === 'new' ? 'new' : editing.id} template={editing === 'new' ? undefined : editing} settings={data.settings}
          onDone={() => { setEditing(null); loaded.reload(); }} onCancel={() => setEditing(null)} />
      )}
      <ProblemBox lines={loaded.error ? problemLines(loaded.error) : problem} />
      {data && data.templates.length === 0 && <p class="muted">{wt('noTemplatesYet')}</p>}
      {data && data.templates.length > 0 && (
        <table class="table workflow-table" aria-labelledby="templates-title" data-testid="templates-table">
          <thead><tr><th scope="col">{wt('templateName')}</th><th scope="col">{wt('subject')}</th><th scope="col">{wt('usedBy')}</th><th scope="col"><span class="sr-only">{wt('actions')}</span></th></tr></thead>
          <tbody>
            {data.templates.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>{t.subject}</td>
                <td>{t.usedBy === 0 ? wt('notUsed') : t.usedBy === 1 ? wt('usedByOne') : wt('usedByRules', { n: t.usedBy })}</td>
                <td class="entry-actions">
                  <button type="button" class="button button-small" aria-label={wt('editNamed', { name: t.name })} onClick={() => setEditing(t)}>{wt('edit')}</button>
                  <button type="button" class="button button-small button-quiet" aria-label={wt('deleteNamed', { name: t.name })} disabled={t.usedBy > 0}
                    title={t.usedBy > 0 ? wt('inUseCannotDelete') : undefined} onClick={() => void remove(t)}>{wt('delete')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && <ClosingForm settings={data.settings} />}
    </section>
  );
}

type Field = 'subject' | 'body';

function TemplateForm({ template, settings, onDone, onCancel }: { template?: MailTemplate | undefined; settings: MailSettings; onDone: () => void; onCancel: () => void }) {
  const [name, setName] = useState(template?.name ?? '');
  const [subject, setSubject] = useState(template?.subject ?? '');
  const [body, setBody] = useState(template?.body ?? '');
  const [target, setTarget] = useState<Field>('body');
  const [problem, setProblem] = useState<string[]>([]);
  const subjectRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);

  /** Puts `{name}` where the cursor was in the chosen field, and returns the focus there. */
  function insert(placeholder: string) {
    const el = target === 'subject' ? subjectRef.current : bodyRef.current;
    const text = `{${placeholder}}`;
    const value = target === 'subject' ? subject : body;
    const from = el?.selectionStart ?? value.length;
    const to = el?.selectionEnd ?? value.length;
    const next = value.slice(0, from) + text + value.slice(to);
    (target === 'subject' ? setSubject : setBody)(next);
    requestAnimationFrame(() => { el?.focus(); el?.setSelectionRange(from + text.length, from + text.length); });
  }

  async function save(e: Event) {
    e.preventDefault();
    try {
      const json = { name: name.trim(), subject, body };
      if (template) await adminApi.updateMailTemplate(template.id, json);
      else await adminApi.createMailTemplate(json);
      onDone();
    } catch (err) {
      setProblem(problemLines(err));
    }
  }
  return (
    <form class="form panel-form template-form" aria-labelledby="template-form-title" onSubmit={(e) => void save(e)} noValidate>
      <h3 id="template-form-title">{template ? wt('editTemplate') : wt('newTemplate')}</h3>
      <label for="tpl-name">{wt('templateName')}</label>
      <input id="tpl-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="tpl-subject">{wt('subject')}</label>
      <input id="tpl-subject" ref={subjectRef} required maxLength={200} value={subject} onFocus={() => setTarget('subject')} onInput={(e) => setSubject(e.currentTarget.value)} />
      <label for="tpl-body">{wt('body')}</label>
      <textarea id="tpl-body" ref={bodyRef} rows={7} required maxLength={10000} value={body} onFocus={() => setTarget('body')} onInput={(e) => setBody(e.currentTarget.value)} />
      <fieldset class="placeholders">
        <legend>{wt('placeholders')}</legend>
        <p class="muted small">{wt('placeholdersIntro')}</p>
        <div class="row" role="radiogroup" aria-label={wt('insertInto')}>
          <span>{wt('insertInto')}:</span>
          <label class="check"><input type="radio" name="tpl-target" checked={target === 'subject'} onChange={() => setTarget('subject')} /> {wt('intoSubject')}</label>
          <label class="check"><input type="radio" name="tpl-target" checked={target === 'body'} onChange={() => setTarget('body')} /> {wt('intoBody')}</label>
        </div>
        <ul class="placeholder-list">
          {settings.placeholders.map((p) => (
            <li key={p.name}>
              <button type="button" class="button button-small" aria-label={wt('insert', { placeholder: `{${p.name}}` })} onClick={() => insert(p.name)}><code>{`{${p.name}}`}</code></button>
              <span>{p.description}</span>
            </li>
          ))}
        </ul>
      </fieldset>
      <LivePreview subject={subject} body={body} />
      <ProblemBox lines={problem} />
      <div class="row">
        <button type="submit" class="button button-primary">{wt('save')}</button>
        <button type="button" class="button" onClick={onCancel}>{wt('cancel')}</button>
      </div>
    </form>
  );
}

/** The mail as the server renders it, a moment after the typing stops. */
function LivePreview({ subject, body }: { subject: string; body: string }) {
  const [preview, setPreview] = useState<MailPreview | null>(null);
  const [problem, setProblem] = useState<string[]>([]);
  useEffect(() => {
    if (!subject.trim() || !body.trim()) { setPreview(null); setProblem([]); return; }
    let current = true;
    const timer = setTimeout(() => {
      adminApi.previewMail({ subject, body }).then(
        (p) => { if (current) { setPreview(p); setProblem([]); } },
        (err: unknown) => { if (current) { setPreview(null); setProblem(problemLines(err)); } },
      );
    }, 350);
    return () => { current = false; clearTimeout(timer); };
  }, [subject, body]);
  return (
    <section class="mail-preview" aria-labelledby="preview-title" data-testid="mail-preview">
      <h4 id="preview-title">{wt('preview')}</h4>
      <p class="muted small">{wt('previewIntro')}</p>
      {problem.length > 0 && <ul class="preview-problem">{problem.map((l) => <li key={l}>{l}</li>)}</ul>}
      {!preview && problem.length === 0 && <p class="muted">{wt('previewEmpty')}</p>}
      {preview && (
        <div class="mail-sample">
          <p class="mail-subject">{wt('previewSubject', { subject: preview.subject })}</p>
          <pre class="mail-text">{preview.text}</pre>
        </div>
      )}
    </section>
  );
}

function ClosingForm({ settings }: { settings: MailSettings }) {
  const [closing, setClosing] = useState(settings.closing);
  const [problem, setProblem] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  async function save(e: Event) {
    e.preventDefault();
    try {
      const next = await adminApi.setMailClosing(closing);
      setClosing(next.closing);
      setProblem([]);
      setSaved(true);
    } catch (err) {
      setSaved(false);
      setProblem(problemLines(err));
    }
  }
  return (
    <form class="form panel-form" onSubmit={(e) => void save(e)}>
      <label for="mail-closing" class="form-title">{wt('closing')}</label>
      <p class="muted small" id="closing-hint">{wt('closingIntro')}</p>
      <textarea id="mail-closing" rows={3} maxLength={2000} aria-describedby="closing-hint" value={closing} onInput={(e) => { setClosing(e.currentTarget.value); setSaved(false); }} />
      <ProblemBox lines={problem} />
      <p role="status" class="small">{saved ? wt('closingSaved') : ''}</p>
      <div class="row"><button type="submit" class="button button-primary">{wt('save')}</button></div>
    </form>
  );
}
