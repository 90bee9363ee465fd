// Test helper: a clock the test moves by hand (the app reads time only through its Clock).
/** A clock for tests: starts at `start` and moves only when told. */
export function createTestClock(start = new Date('2026-01-15T09:00:00Z')) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    set(date: Date) {
      current = date.getTime();
    },
  };
}
