// What the server refused, in a form: one line per field it named (see problemLines).
import { wt } from '../i18n-workflow';

export function ProblemBox({ lines }: { lines: string[] }) {
  if (lines.length === 0) return null;
  if (lines.length === 1) return <p class="alert alert-error" role="alert">{lines[0]}</p>;
  return (
    <div class="alert alert-error" role="alert">
      <p>{wt('p_problem')}</p>
      <ul>{lines.map((l) => <li key={l}>{l}</li>)}</ul>
    </div>
  );
}
