import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Length of one event-loop delay window; /health details report the last complete one. */
const LOOP_WINDOW_MS = 10_000;

interface LoopWindow {
  p50: number;
  p99: number;
  max: number;
  endedAt: string;
}

let histogram: IntervalHistogram | null = null;
let last: LoopWindow | null = null;

/** Starts measuring the event-loop delay (10 ms resolution) once per process. */
export function startProcessStats(): void {
  if (histogram) return;
  histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const timer = setInterval(() => {
    last = readWindow(histogram!);
    histogram!.reset();
  }, LOOP_WINDOW_MS);
  timer.unref();
}

const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;

function readWindow(h: IntervalHistogram): LoopWindow {
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), endedAt: new Date().toISOString() };
}

/** Memory and event-loop delay of this process, for the admins' /health details. */
export function processStats() {
  const mem = process.memoryUsage();
  return {
    pid: process.pid,
    uptimeSeconds: Math.round(process.uptime()),
    rssMb: Math.round((mem.rss / 2 ** 20) * 10) / 10,
    heapUsedMb: Math.round((mem.heapUsed / 2 ** 20) * 10) / 10,
    eventLoopDelayMs: last ?? (histogram ? readWindow(histogram) : null),
  };
}
