// The words of Beheer → Automatisering and Mailsjablonen: Dutch first, English second. A
// dictionary of its own beside i18n.ts, so that these two screens do not grow the shared one.
import { ApiError } from '../lib/api';
import { errorMessage } from '../lib/errors';
import { currentLanguage } from '../lib/i18n';

const nl = {
  automation: 'Automatisering',
  automationIntro: 'Regels die Kindkans zelf uitvoert als er iets verandert, van boven naar beneden. Een wijziging door een regel kan een volgende regel starten; na 5 stappen stopt Kindkans. Elke automatische wijziging staat in Status informatie, met de naam van de regel.',
  newRule: 'Nieuwe regel',
  editRule: 'Regel bewerken',
  noRules: 'Nog geen regels.',
  ruleName: 'Naam van de regel',
  ruleKind: 'Soort regel',
  rule: 'Regel',
  enabled: 'Aan',
  enabledRule: 'Regel aan: {name}',
  off: 'uit',
  order: 'Volgorde',
  moveUp: 'Omhoog: {name}',
  moveDown: 'Omlaag: {name}',
  edit: 'Bewerken',
  editNamed: 'Bewerken: {name}',
  delete: 'Verwijderen',
  deleteNamed: 'Verwijderen: {name}',
  confirmDeleteRule: 'De regel “{name}” verwijderen? Kindkans voert hem daarna niet meer uit. Status informatie houdt de naam bij eerdere wijzigingen.',
  save: 'Opslaan',
  cancel: 'Annuleren',
  add: 'Toevoegen',
  saved: 'Opgeslagen.',
  choose: '— kies —',
  actions: 'Acties',
  kind_title_keyword: 'Titel bevat een woord → status',
  kind_attachment_status: 'Bijlage toegevoegd → status',
  kind_entry_status: 'Aanpak of TLV toegevoegd → status',
  kind_status_coordinator: 'Status wordt … → coördinator',
  kind_status_description: 'Status wordt … → omschrijving',
  kind_status_mail: 'Status wordt … → mail',
  // the sentences of the form, one label per control
  s_titleKeyword: 'Als de titel van de hulpvraag het woord',
  s_titleKeywordThen: 'bevat, dan wordt de status',
  s_attachment: 'Als er een bijlage bij de hulpvraag komt, dan wordt de status',
  s_entry: 'Als er bij het dossier een',
  s_entryThen: 'bijkomt, dan wordt de status van de open hulpvragen',
  s_when: 'Als de status',
  s_thenCoordinator: 'wordt, dan wordt de coördinator',
  s_thenDescription: 'wordt en de omschrijving leeg is, dan wordt de omschrijving',
  s_thenMail: 'wordt, dan gaat de mail',
  s_mailTo: 'naar',
  toGuardians: 'de ouders/verzorgers',
  toCoordinator: 'de coördinator',
  guardiansNote: 'Ouders krijgen de mail alleen bij een hulpvraag die voor ouders zichtbaar is.',
  entry_aanpak: 'Aanpak',
  entry_tlv: 'TLV',
  // the sentences in the list
  r_title_keyword: 'Als de titel “{keyword}” bevat, dan status {setStatus}.',
  r_attachment_status: 'Als er een bijlage bijkomt, dan status {setStatus}.',
  r_entry_status: 'Als er een {entryKind} bijkomt, dan status {setStatus} (open hulpvragen).',
  r_status_coordinator: 'Als de status {whenStatus} wordt, dan coördinator {coordinator}.',
  r_status_description: 'Als de status {whenStatus} wordt, dan een lege omschrijving invullen.',
  r_status_mail: 'Als de status {whenStatus} wordt, dan mail “{template}” aan {to}.',
  r_and: 'en',
  noTemplates: 'Er zijn nog geen mailsjablonen. Maak er eerst een in Mailsjablonen.',
  noCoordinators: 'Er zijn geen actieve coördinatoren of beheerders.',
  // mail templates
  mailTemplates: 'Mailsjablonen',
  mailTemplatesIntro: 'De mails die een regel na een statuswijziging verstuurt. Een mail aan ouders zegt alleen dát er iets veranderd is en waar ze kunnen kijken: er is geen plaatshouder voor de titel, omschrijving of notities.',
  newTemplate: 'Nieuw mailsjabloon',
  editTemplate: 'Mailsjabloon bewerken',
  noTemplatesYet: 'Nog geen mailsjablonen.',
  templateName: 'Naam van het sjabloon',
  subject: 'Onderwerp',
  body: 'Tekst',
  usedBy: 'Gebruikt door',
  usedByOne: '1 regel',
  usedByRules: '{n} regels',
  notUsed: 'geen regel',
  inUseCannotDelete: 'Een regel verstuurt dit sjabloon: pas die regel eerst aan.',
  confirmDeleteTemplate: 'Het mailsjabloon “{name}” verwijderen?',
  placeholders: 'Plaatshouders',
  placeholdersIntro: 'Kindkans vult deze in bij het versturen. Kies een veld en klik op Invoegen; andere woorden tussen accolades worden geweigerd.',
  insert: 'Invoegen {placeholder}',
  insertInto: 'Invoegen in',
  intoSubject: 'het onderwerp',
  intoBody: 'de tekst',
  preview: 'Voorbeeld',
  previewIntro: 'Zo krijgt de ontvanger de mail, met voorbeeldwaarden en de afsluitende tekst.',
  previewEmpty: 'Vul een onderwerp en tekst in om het voorbeeld te zien.',
  previewSubject: 'Onderwerp: {subject}',
  closing: 'Afsluitende tekst',
  closingIntro: 'Staat onder elke mail die een regel verstuurt. Plaatshouders mogen ook hier.',
  closingSaved: 'De afsluitende tekst is opgeslagen.',
  // problems, per field
  f_name: 'Naam',
  f_subject: 'Onderwerp',
  f_body: 'Tekst',
  f_closing: 'Afsluitende tekst',
  f_keyword: 'Woord in de titel',
  f_setStatus: 'Nieuwe status',
  f_whenStatus: 'Status',
  f_coordinatorId: 'Coördinator',
  f_mailTemplateId: 'Mailsjabloon',
  f_mailToGuardians: 'Ontvangers',
  f_mailToCoordinator: 'Ontvangers',
  f_description: 'Omschrijving',
  f_entryKind: 'Aanpak of TLV',
  p_unknownPlaceholders: 'onbekende plaatshouders {names}. Gebruik alleen {allowed}.',
  p_required: 'vul dit in.',
  p_unknownStatus: 'dit is geen status van uw organisatie (Beheer → Statussen).',
  p_notCoordinator: 'dit is geen actieve coördinator of beheerder van uw organisatie.',
  p_notTemplate: 'dit is geen mailsjabloon van uw organisatie.',
  p_chooseRecipients: 'kies de ouders/verzorgers, de coördinator of allebei.',
  p_exists: 'die naam bestaat al.',
  p_problem: 'Dit kon niet worden opgeslagen:',
};

type WorkflowKey = keyof typeof nl;

const en: Record<WorkflowKey, string> = {
  automation: 'Automation', automationIntro: 'Rules Kindkans carries out by itself when something changes, top to bottom. A change made by a rule can start another rule; after 5 steps Kindkans stops. Every automatic change is in the status history, naming the rule.',
  newRule: 'New rule', editRule: 'Edit rule', noRules: 'No rules yet.', ruleName: 'Name of the rule', ruleKind: 'Kind of rule', rule: 'Rule', enabled: 'On',
  enabledRule: 'Rule on: {name}', off: 'off', order: 'Order', moveUp: 'Move up: {name}', moveDown: 'Move down: {name}', edit: 'Edit', editNamed: 'Edit: {name}',
  delete: 'Delete', deleteNamed: 'Delete: {name}', confirmDeleteRule: 'Delete the rule “{name}”? Kindkans no longer carries it out. The status history keeps its name for earlier changes.',
  save: 'Save', cancel: 'Cancel', add: 'Add', saved: 'Saved.', choose: '— choose —', actions: 'Actions',
  kind_title_keyword: 'Title contains a word → status', kind_attachment_status: 'Attachment added → status', kind_entry_status: 'Aanpak or TLV added → status',
  kind_status_coordinator: 'Status becomes … → coordinator', kind_status_description: 'Status becomes … → description', kind_status_mail: 'Status becomes … → e-mail',
  s_titleKeyword: 'When the title of the hulpvraag contains the word', s_titleKeywordThen: ', the status becomes', s_attachment: 'When an attachment is added to the hulpvraag, the status becomes',
  s_entry: 'When the dossier gets a new', s_entryThen: ', the status of its open hulpvragen becomes', s_when: 'When the status becomes', s_thenCoordinator: ', the coordinator becomes',
  s_thenDescription: 'and the description is empty, the description becomes', s_thenMail: ', send the e-mail', s_mailTo: 'to', toGuardians: 'the parents/guardians',
  toCoordinator: 'the coordinator', guardiansNote: 'Parents get the e-mail only for a hulpvraag visible to parents.', entry_aanpak: 'Aanpak', entry_tlv: 'TLV',
  r_title_keyword: 'When the title contains “{keyword}”, status {setStatus}.', r_attachment_status: 'When an attachment is added, status {setStatus}.',
  r_entry_status: 'When a {entryKind} is added, status {setStatus} (open hulpvragen).', r_status_coordinator: 'When the status becomes {whenStatus}, coordinator {coordinator}.',
  r_status_description: 'When the status becomes {whenStatus}, fill in an empty description.', r_status_mail: 'When the status becomes {whenStatus}, e-mail “{template}” to {to}.', r_and: 'and',
  noTemplates: 'There are no mail templates yet. Make one first under Mail templates.', noCoordinators: 'There are no active coordinators or administrators.',
  mailTemplates: 'Mail templates', mailTemplatesIntro: 'The e-mails a rule sends after a status change. An e-mail to parents only says that something changed and where to look: there is no placeholder for the title, description or notes.',
  newTemplate: 'New mail template', editTemplate: 'Edit mail template', noTemplatesYet: 'No mail templates yet.', templateName: 'Name of the template', subject: 'Subject', body: 'Text',
  usedBy: 'Used by', usedByOne: '1 rule', usedByRules: '{n} rules', notUsed: 'no rule', inUseCannotDelete: 'A rule sends this template: change that rule first.',
  confirmDeleteTemplate: 'Delete the mail template “{name}”?', placeholders: 'Placeholders',
  placeholdersIntro: 'Kindkans fills these in when sending. Choose a field and click Insert; other words in braces are refused.', insert: 'Insert {placeholder}', insertInto: 'Insert into', intoSubject: 'the subject', intoBody: 'the text',
  preview: 'Preview', previewIntro: 'The e-mail as the recipient gets it, with example values and the closing text.', previewEmpty: 'Fill in a subject and text to see the preview.',
  previewSubject: 'Subject: {subject}', closing: 'Closing text', closingIntro: 'Below every e-mail a rule sends. Placeholders work here too.', closingSaved: 'The closing text was saved.',
  f_name: 'Name', f_subject: 'Subject', f_body: 'Text', f_closing: 'Closing text', f_keyword: 'Word in the title', f_setStatus: 'New status', f_whenStatus: 'Status',
  f_coordinatorId: 'Coordinator', f_mailTemplateId: 'Mail template', f_mailToGuardians: 'Recipients', f_mailToCoordinator: 'Recipients', f_description: 'Description', f_entryKind: 'Aanpak or TLV',
  p_unknownPlaceholders: 'unknown placeholders {names}. Use only {allowed}.', p_required: 'fill this in.', p_unknownStatus: 'not a status of your organisation (Beheer → Statussen).',
  p_notCoordinator: 'not an active coordinator or administrator of your organisation.', p_notTemplate: 'not a mail template of your organisation.',
  p_chooseRecipients: 'choose the parents/guardians, the coordinator, or both.', p_exists: 'that name already exists.', p_problem: 'This could not be saved:',
};

export function wt(key: WorkflowKey, params: Record<string, string | number> = {}): string {
  const text = (currentLanguage() === 'en' ? en : nl)[key] ?? nl[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

const fieldKey = (path: string) => `f_${path}` as WorkflowKey;
const allowed = '{kind}, {status}, {school}, {link}, {organisatie}, {datum}, {coordinator}';

/** One field the server refused; `unknownPlaceholders` when braces held other names. */
type FieldProblem = { path: string; message: string; unknownPlaceholders?: string[] };

/** One server message about one field, in the panel's language when we know it; else as the server wrote it. */
function fieldMessage({ message, unknownPlaceholders }: FieldProblem): string {
  const unknown = unknownPlaceholders?.map((p) => `{${p}}`).join(', ') ?? /unknown placeholders (.+?)(?:;|$)/.exec(message)?.[1];
  if (unknown) return wt('p_unknownPlaceholders', { names: unknown, allowed });
  if (/needed for a rule/.test(message)) return wt('p_required');
  if (/unknown status|is not a status/.test(message)) return wt('p_unknownStatus');
  if (/not an active coordinator/.test(message)) return wt('p_notCoordinator');
  if (/not a mail template/.test(message)) return wt('p_notTemplate');
  if (/choose the guardians/.test(message)) return wt('p_chooseRecipients');
  if (/already exists/.test(message)) return wt('p_exists');
  return message;
}

/**
 * A problem from the server as the form shows it: each field the server named with what is
 * wrong ("Tekst: onbekende plaatshouders {titel}. …"), else the server's detail, else the
 * panel's general sentence for the code.
 */
export function problemLines(err: unknown): string[] {
  if (!(err instanceof ApiError)) return [errorMessage(err)];
  const errors: FieldProblem[] = err.problem?.errors ?? [];
  if (errors.length) {
    const seen = new Set<string>();
    return errors.flatMap((e) => {
      const path = e.path;
      const label = wt(fieldKey(path)) === fieldKey(path) || !(fieldKey(path) in nl) ? path : wt(fieldKey(path));
      const line = `${label}: ${fieldMessage(e)}`;
      if (seen.has(line)) return [];
      seen.add(line);
      return [line];
    });
  }
  if (err.problem?.detail && (err.status === 400 || err.status === 409)) return [err.problem.detail];
  return [errorMessage(err)];
}
