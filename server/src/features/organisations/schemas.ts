import { z } from '@hono/zod-openapi';

export const Organisation = z
  .object({ code: z.string().openapi({ example: 'PO2507' }), name: z.string().openapi({ example: 'Stromenland' }), label: z.string().openapi({ example: 'PO2507 Stromenland' }) })
  .openapi('Organisation');
export type Organisation = z.infer<typeof Organisation>;
