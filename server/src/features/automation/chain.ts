/**
 * The chain runner behind the automation engine, free of the database: events go in, each
 * matching rule is applied in order, and what a rule changes becomes a new event. Two
 * guarantees, whatever the rules say:
 * - a chain stops after MAX_STEPS changes (the rest is not applied, and the caller is told);
 * - it never loops: a rule changes one hulpvraag at most once per chain.
 */
const MAX_STEPS = 5;

export interface ChainEvent { hulpvraagId: string }

export interface ChainRule<E extends ChainEvent> {
  id: string;
  matches(event: E): boolean;
}

export interface ChainResult { steps: number; stopped: boolean }

/**
 * Runs `events` through `rules` (already in order, enabled only). `apply` makes one rule's change
 * for one event and returns the events it causes, or null when it changed nothing (no step).
 */
export async function runChain<E extends ChainEvent, R extends ChainRule<E>>(
  rules: readonly R[],
  events: readonly E[],
  apply: (rule: R, event: E) => Promise<E[] | null>,
  maxSteps = MAX_STEPS,
): Promise<ChainResult> {
  const queue = [...events];
  const done = new Set<string>();
  let steps = 0;
  while (queue.length > 0) {
    const event = queue.shift()!;
    for (const rule of rules) {
      const key = `${rule.id}:${event.hulpvraagId}`;
      if (done.has(key) || !rule.matches(event)) continue;
      if (steps >= maxSteps) return { steps, stopped: true };
      const caused = await apply(rule, event);
      if (caused === null) continue;
      done.add(key);
      steps++;
      queue.push(...caused);
    }
  }
  return { steps, stopped: false };
}
