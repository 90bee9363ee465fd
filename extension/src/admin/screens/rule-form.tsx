// One automation rule as a form that reads as a Dutch sentence: "Als de titel van de hulpvraag
// het woord [ ] bevat, dan wordt de status [ ]". Each control has the words before it as label.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { formatStatus } from '../../lib/format';
import { adminApi, type AutomationRule, type AutomationRuleInput } from '../api';
import { problemLines, wt } from '../i18n-workflow';
import { ProblemBox } from '../parts/problem-box';

type Kind = AutomationRule['kind'];
const kinds: Kind[] = ['title_keyword', 'attachment_status', 'entry_status', 'status_coordinator', 'status_description', 'status_mail'];

export interface RuleChoices {
  statuses: string[];
  coordinators: { id: string; displayName: string }[];
  templates: { id: string; name: string }[];
}

interface Draft {
  name: string; kind: Kind; keyword: string; entryKind: 'aanpak' | 'tlv'; whenStatus: string; setStatus: string;
  coordinatorId: string; description: string; mailTemplateId: string; mailToGuardians: boolean; mailToCoordinator: boolean;
}

function draftOf(r?: AutomationRule): Draft {
  return {
    name: r?.name ?? '', kind: r?.kind ?? 'title_keyword', keyword: r?.keyword ?? '', entryKind: r?.entryKind ?? 'aanpak', whenStatus: r?.whenStatus ?? '', setStatus: r?.setStatus ?? '',
    coordinatorId: r?.coordinator?.id ?? '', description: r?.description ?? '', mailTemplateId: r?.mailTemplate?.id ?? '',
    mailToGuardians: r?.mailToGuardians ?? true, mailToCoordinator: r?.mailToCoordinator ?? false,
  };
}

/** What the server gets: the fields of the rule's kind, empty ones as null (the server then names what is missing). */
function inputOf(d: Draft): AutomationRuleInput {
  const orNull = (v: string) => (v.trim() ? v.trim() : null);
  const base = { name: d.name.trim(), kind: d.kind };
  switch (d.kind) {
    case 'title_keyword': return { ...base, keyword: orNull(d.keyword), setStatus: orNull(d.setStatus) };
    case 'attachment_status': return { ...base, setStatus: orNull(d.setStatus) };
    case 'entry_status': return { ...base, entryKind: d.entryKind, setStatus: orNull(d.setStatus) };
    case 'status_coordinator': return { ...base, whenStatus: orNull(d.whenStatus), coordinatorId: orNull(d.coordinatorId) };
    case 'status_description': return { ...base, whenStatus: orNull(d.whenStatus), description: orNull(d.description) };
    case 'status_mail': return { ...base, whenStatus: orNull(d.whenStatus), mailTemplateId: orNull(d.mailTemplateId), mailToGuardians: d.mailToGuardians, mailToCoordinator: d.mailToCoordinator };
  }
}

export function RuleForm({ rule, choices, onDone, onCancel }: { rule?: AutomationRule | undefined; choices: RuleChoices; onDone: () => void; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(() => draftOf(rule));
  const [problem, setProblem] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  // A rule keeps its coordinator even when that account is no longer active: shown, not lost.
  const coordinators = rule?.coordinator && !choices.coordinators.some((c) => c.id === rule.coordinator!.id) ? [...choices.coordinators, rule.coordinator] : choices.coordinators;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((old) => ({ ...old, [k]: v }));
  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    try {
      if (rule) await adminApi.updateRule(rule.id, inputOf(d));
      else await adminApi.createRule(inputOf(d));
      onDone();
    } catch (err) {
      setProblem(problemLines(err));
    } finally {
      setBusy(false);
    }
  }
  const statusSelect = (id: string, key: 'whenStatus' | 'setStatus') => (
    <select id={id} value={d[key]} onChange={(e) => set(key, e.currentTarget.value)}>
      <option value="">{wt('choose')}</option>
      {choices.statuses.map((s) => <option key={s} value={s}>{formatStatus(s)}</option>)}
    </select>
  );
  const when = (...rest: ComponentChildren[]) => (
    <>
      <label for="rule-when">{wt('s_when')}</label> {statusSelect('rule-when', 'whenStatus')} {rest}
    </>
  );
  const titleId = 'rule-form-title';
  return (
    <form class="form panel-form rule-form" aria-labelledby={titleId} onSubmit={(e) => void save(e)} noValidate>
      <h3 id={titleId}>{rule ? wt('editRule') : wt('newRule')}</h3>
      <label for="rule-name">{wt('ruleName')}</label>
      <input id="rule-name" required maxLength={100} value={d.name} onInput={(e) => set('name', e.currentTarget.value)} />
      <label for="rule-kind">{wt('ruleKind')}</label>
      <select id="rule-kind" value={d.kind} onChange={(e) => set('kind', e.currentTarget.value as Kind)}>
        {kinds.map((k) => <option key={k} value={k}>{wt(`kind_${k}`)}</option>)}
      </select>
      <fieldset class="rule-sentence">
        <legend>{wt('rule')}</legend>
        <p class="sentence">
          {d.kind === 'title_keyword' && (
            <>
              <label for="rule-keyword">{wt('s_titleKeyword')}</label> <input id="rule-keyword" maxLength={100} value={d.keyword} onInput={(e) => set('keyword', e.currentTarget.value)} />{' '}
              <label for="rule-set">{wt('s_titleKeywordThen')}</label> {statusSelect('rule-set', 'setStatus')}
            </>
          )}
          {d.kind === 'attachment_status' && <><label for="rule-set">{wt('s_attachment')}</label> {statusSelect('rule-set', 'setStatus')}</>}
          {d.kind === 'entry_status' && (
            <>
              <label for="rule-entry">{wt('s_entry')}</label>{' '}
              <select id="rule-entry" value={d.entryKind} onChange={(e) => set('entryKind', e.currentTarget.value as Draft['entryKind'])}>
                <option value="aanpak">{wt('entry_aanpak')}</option>
                <option value="tlv">{wt('entry_tlv')}</option>
              </select>{' '}
              <label for="rule-set">{wt('s_entryThen')}</label> {statusSelect('rule-set', 'setStatus')}
            </>
          )}
          {d.kind === 'status_coordinator' && when(
            <label for="rule-coordinator">{wt('s_thenCoordinator')}</label>, ' ',
            <select id="rule-coordinator" value={d.coordinatorId} onChange={(e) => set('coordinatorId', e.currentTarget.value)}>
              <option value="">{wt('choose')}</option>
              {coordinators.map((c) => <option key={c.id} value={c.id}>{c.displayName}</option>)}
            </select>,
          )}
          {d.kind === 'status_description' && when(<label for="rule-description">{wt('s_thenDescription')}</label>)}
          {d.kind === 'status_mail' && when(
            <label for="rule-template">{wt('s_thenMail')}</label>, ' ',
            <select id="rule-template" value={d.mailTemplateId} onChange={(e) => set('mailTemplateId', e.currentTarget.value)}>
              <option value="">{wt('choose')}</option>
              {choices.templates.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
            </select>, ' ', <span>{wt('s_mailTo')}</span>, ' ',
            <label class="check"><input type="checkbox" checked={d.mailToGuardians} onChange={(e) => set('mailToGuardians', e.currentTarget.checked)} /> {wt('toGuardians')}</label>, ' ',
            <label class="check"><input type="checkbox" checked={d.mailToCoordinator} onChange={(e) => set('mailToCoordinator', e.currentTarget.checked)} /> {wt('toCoordinator')}</label>,
          )}
        </p>
        {d.kind === 'status_description' && (
          <textarea id="rule-description" rows={4} maxLength={20000} value={d.description} onInput={(e) => set('description', e.currentTarget.value)} />
        )}
        {d.kind === 'status_mail' && <p class="muted small">{wt('guardiansNote')}</p>}
        {d.kind === 'status_mail' && choices.templates.length === 0 && <p class="muted small">{wt('noTemplates')}</p>}
        {d.kind === 'status_coordinator' && coordinators.length === 0 && <p class="muted small">{wt('noCoordinators')}</p>}
      </fieldset>
      <ProblemBox lines={problem} />
      <div class="row">
        <button type="submit" class="button button-primary" disabled={busy}>{wt('save')}</button>
        <button type="button" class="button" onClick={onCancel}>{wt('cancel')}</button>
      </div>
    </form>
  );
}
