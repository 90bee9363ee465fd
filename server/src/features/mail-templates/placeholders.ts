/**
 * The placeholders a mail template (and a description template) may use. A mail to parents
 * says that something changed and where to look: no title, description or notes of the
 * hulpvraag — only what these give.
 */
export const placeholders = {
  kind: 'De voornaam van het kind',
  status: 'De nieuwe status van de hulpvraag',
  school: 'De naam van de school',
  link: 'Waar de ouder of coördinator kijkt: het adres van Kindkans',
  organisatie: 'De organisatie, bijvoorbeeld PO2507 Stromenland',
  datum: 'De datum van de wijziging (dd-mm-jjjj)',
  coordinator: 'De naam van de coördinator (leeg als er geen is)',
} as const;
type Placeholder = keyof typeof placeholders;
export type PlaceholderValues = Record<Placeholder, string>;

const PLACEHOLDER = /\{([^{}\s]{1,40})\}/g;

/** The `{names}` in a text that are not placeholders (for a 400 on save). */
export function unknownPlaceholders(text: string): string[] {
  const unknown = new Set<string>();
  for (const [, name] of text.matchAll(PLACEHOLDER)) if (!(name! in placeholders)) unknown.add(name!);
  return [...unknown];
}

/** Fills the placeholders; anything else stays as written. */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (name in placeholders ? values[name as Placeholder] : whole));
}

/** Example values for a preview. */
export const exampleValues: PlaceholderValues = {
  kind: 'Sam', status: 'in behandeling', school: 'De Regenboog', link: 'https://kindkans.example.org',
  organisatie: 'PO2507 Stromenland', datum: '01-10-2025', coordinator: 'J. de Vries',
};
