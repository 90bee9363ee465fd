// Beheer → Automatisering (admins): the organisation's rules in the order they run — each on or
// off, moved up and down with buttons (keyboard), edited in a form that reads as a sentence.
import { useCallback, useState } from 'preact/hooks';
import { formatStatus } from '../../lib/format';
import { useLoad } from '../../components/use-load';
import { adminApi, type AutomationRule } from '../api';
import { problemLines, wt } from '../i18n-workflow';
import { confirm } from '../parts/confirm';
import { ProblemBox } from '../parts/problem-box';
import { RuleForm, type RuleChoices } from './rule-form';

async function loadAll(): Promise<{ rules: AutomationRule[]; choices: RuleChoices }> {
  const [rules, statuses, coordinators, admins, templates] = await Promise.all([
    adminApi.rules(), adminApi.statuses(), adminApi.users({ role: 'coordinator', status: 'active' }), adminApi.users({ role: 'admin', status: 'active' }), adminApi.mailTemplates(),
  ]);
  const people = [...coordinators.items, ...admins.items].map((u) => ({ id: u.id, displayName: u.displayName })).sort((a, b) => a.displayName.localeCompare(b.displayName, 'nl'));
  return { rules, choices: { statuses: statuses.map((s) => s.name), coordinators: people, templates: templates.map((t) => ({ id: t.id, name: t.name })) } };
}

/** The rule as one sentence for the list. */
function ruleSentence(r: AutomationRule): string {
  const to = [r.mailToGuardians && wt('toGuardians'), r.mailToCoordinator && wt('toCoordinator')].filter(Boolean).join(` ${wt('r_and')} `);
  return wt(`r_${r.kind}`, {
    keyword: r.keyword ?? '', setStatus: formatStatus(r.setStatus ?? ''), whenStatus: formatStatus(r.whenStatus ?? ''),
    entryKind: r.entryKind ? wt(`entry_${r.entryKind}`) : '', coordinator: r.coordinator?.displayName ?? '', template: r.mailTemplate?.name ?? '', to,
  });
}

export function AutomationScreen() {
  const loaded = useLoad(useCallback(loadAll, []));
  const [editing, setEditing] = useState<AutomationRule | 'new' | null>(null);
  const [problem, setProblem] = useState<string[]>([]);
  const run = async (f: () => Promise<unknown>) => {
    try { await f(); setProblem([]); } catch (err) { setProblem(problemLines(err)); }
    loaded.reload();
  };
  const rules = loaded.data?.rules ?? [];
  // The box shows the choice at once (not the old value while the server answers); a refusal undoes it.
  const [enabledNow, setEnabledNow] = useState<Record<string, boolean>>({});
  const toggle = (r: AutomationRule, enabled: boolean) => {
    setEnabledNow((m) => ({ ...m, [r.id]: enabled }));
    void run(() => adminApi.updateRule(r.id, { enabled }).catch((err: unknown) => {
      setEnabledNow(({ [r.id]: _, ...rest }) => rest);
      throw err;
    }));
  };
  const remove = async (r: AutomationRule) => (await confirm(wt('confirmDeleteRule', { name: r.name }), wt('delete'))) && run(() => adminApi.deleteRule(r.id));
  const done = () => { setEditing(null); loaded.reload(); };
  return (
    <section aria-labelledby="automation-title">
      <div class="section-head">
        <h2 id="automation-title">{wt('automation')}</h2>
        <button type="button" class="button" onClick={() => setEditing('new')}>+ {wt('newRule')}</button>
      </div>
      <p class="muted intro">{wt('automationIntro')}</p>
      {editing && loaded.data && <RuleForm rule={editing === 'new' ? undefined : editing} choices={loaded.data.choices} onDone={done} onCancel={() => setEditing(null)} />}
      <ProblemBox lines={loaded.error ? problemLines(loaded.error) : problem} />
      {loaded.data && rules.length === 0 && <p class="muted">{wt('noRules')}</p>}
      {rules.length > 0 && (
        <table class="table workflow-table" aria-labelledby="automation-title" data-testid="rules-table">
          <thead><tr><th scope="col">{wt('order')}</th><th scope="col">{wt('enabled')}</th><th scope="col">{wt('ruleName')}</th><th scope="col">{wt('rule')}</th><th scope="col"><span class="sr-only">{wt('actions')}</span></th></tr></thead>
          <tbody>
            {rules.map((r, i) => (
              <tr key={r.id} class={(enabledNow[r.id] ?? r.enabled) ? undefined : 'row-off'}>
                <td>{r.position}</td>
                <td><input type="checkbox" aria-label={wt('enabledRule', { name: r.name })} checked={enabledNow[r.id] ?? r.enabled} onChange={(e) => toggle(r, e.currentTarget.checked)} /></td>
                <th scope="row">{r.name}{!(enabledNow[r.id] ?? r.enabled) && <span class="tag tag-muted">{wt('off')}</span>}</th>
                <td>{ruleSentence(r)}</td>
                <td class="entry-actions">
                  <button type="button" class="button button-small" disabled={i === 0} aria-label={wt('moveUp', { name: r.name })} onClick={() => void run(() => adminApi.updateRule(r.id, { position: r.position - 1 }))}>↑</button>
                  <button type="button" class="button button-small" disabled={i === rules.length - 1} aria-label={wt('moveDown', { name: r.name })} onClick={() => void run(() => adminApi.updateRule(r.id, { position: r.position + 1 }))}>↓</button>
                  <button type="button" class="button button-small" aria-label={wt('editNamed', { name: r.name })} onClick={() => setEditing(r)}>{wt('edit')}</button>
                  <button type="button" class="button button-small button-quiet" aria-label={wt('deleteNamed', { name: r.name })} onClick={() => void remove(r)}>{wt('delete')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
