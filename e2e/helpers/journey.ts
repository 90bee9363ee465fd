import { afterEach, beforeEach } from 'vitest';

/**
 * The tests of a spec are the steps of one journey: after the first failing step the rest would
 * only time out, so they are skipped. `onFail` keeps evidence of the failure (screenshots).
 */
export function oneJourney(onFail?: () => Promise<unknown>): void {
  let failed = false;
  beforeEach((context) => {
    if (failed) context.skip();
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    failed = true;
    await onFail?.().catch(() => undefined);
  });
}
