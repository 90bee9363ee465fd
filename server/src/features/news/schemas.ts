import { z } from '@hono/zod-openapi';

export const NewsItem = z
  .object({ id: z.uuid(), title: z.string(), body: z.string(), publishedAt: z.string().openapi({ format: 'date-time' }), scope: z.enum(['organisation', 'general']) })
  .openapi('NewsItem');
export type NewsItem = z.infer<typeof NewsItem>;
