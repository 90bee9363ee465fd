import { z } from '@hono/zod-openapi';

export const HealthDetails = z
  .object({
    database: z.object({ kind: z.enum(['pglite', 'postgres']).nullable(), pingMs: z.number() }),
    outbox: z.object({
      pending: z.number().int(),
      retrying: z.number().int(),
      failed: z.number().int(),
      oldestPendingAt: z.string().nullable(),
      lastError: z.string().nullable(),
    }),
    process: z.object({
      pid: z.number().int(),
      uptimeSeconds: z.number(),
      rssMb: z.number(),
      heapUsedMb: z.number(),
      eventLoopDelayMs: z.object({ p50: z.number(), p99: z.number(), max: z.number(), endedAt: z.string() }).nullable(),
    }),
    requests: z.object({ inFlight: z.number().int(), waiting: z.number().int(), rejected: z.number().int() }).nullable(),
  })
  .openapi('HealthDetails');

/** Public: `{ status }`; an admin's bearer token adds `details`. */
export const Health = z.object({ status: z.literal('ok'), details: HealthDetails.optional() }).openapi('Health');
