import { z } from '@hono/zod-openapi';

export const School = z.object({ brin: z.string().openapi({ example: '12AB00' }), name: z.string(), city: z.string() }).openapi('School');
export type School = z.infer<typeof School>;
