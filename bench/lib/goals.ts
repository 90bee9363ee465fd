/**
 * The goals of issue 12, checked in the run that measured them: each `check` prints the figure
 * next to its goal; `finish()` sets a non-zero exit code when any goal was missed, so a bench run
 * by hand or in a separate CI job fails visibly (the benches are never part of `npm test`).
 */
export interface GoalResult { name: string; value: number; goal: string; met: boolean }

const results: GoalResult[] = [];

/** `value` must be at least `min` (a ratio to the baseline, say). */
export function atLeast(name: string, value: number, min: number, unit = '×'): GoalResult {
  return record({ name, value, goal: `≥ ${min}${unit}`, met: value >= min }, unit);
}

/** `value` must be at most `max`. */
export function atMost(name: string, value: number, max: number, unit = '×'): GoalResult {
  return record({ name, value, goal: `≤ ${max}${unit}`, met: value <= max }, unit);
}

function record(r: GoalResult, unit: string): GoalResult {
  results.push(r);
  console.log(`  goal ${r.met ? 'met   ' : 'MISSED'} ${r.name}: ${r.value.toFixed(2)}${unit} (goal ${r.goal})`);
  return r;
}

/** Prints the summary and sets the exit code: 1 when any goal was missed. */
export function finishGoals(): void {
  const missed = results.filter((r) => !r.met);
  console.log(`goals: ${results.length - missed.length} of ${results.length} met${missed.length ? ` — missed: ${missed.map((r) => r.name).join('; ')}` : ''}`);
  if (missed.length) process.exitCode = 1;
}
