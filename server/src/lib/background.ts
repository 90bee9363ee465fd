/**
 * Work an app goes on with after its answer was sent (a password reset is handled after its
 * 202, so the answer's timing tells nothing). One per app, so it can be awaited: by tests, and
 * at shutdown before the database closes.
 */
export interface BackgroundWork {
  /** Keeps track of `work` until it settles; `work` handles its own errors. */
  track(work: Promise<unknown>): void;
  /** Resolves when all tracked work (including work started meanwhile) has settled. */
  settle(): Promise<void>;
}

export function createBackgroundWork(): BackgroundWork {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      pending.add(work);
      const done = () => pending.delete(work);
      work.then(done, done);
    },
    async settle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}
