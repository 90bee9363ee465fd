import { z } from '@hono/zod-openapi';
import { multiLine, singleLine } from '../dossiers/schemas.ts';

export const NewsItem = z
  .object({ id: z.uuid(), title: z.string(), body: z.string(), publishedAt: z.string().openapi({ format: 'date-time' }), scope: z.enum(['organisation', 'general']) })
  .openapi('NewsItem');
export type NewsItem = z.infer<typeof NewsItem>;

/** A news item as its organisation's admins manage it: drafts and withdrawn items too. */
export const ManagedNews = z
  .object({
    id: z.uuid(), title: z.string(), body: z.string(), status: z.enum(['draft', 'published', 'withdrawn']),
    publishedAt: z.string().nullable(), withdrawnAt: z.string().nullable(), updatedAt: z.string(),
  })
  .openapi('ManagedNews');

export const NewsCreate = z.object({ title: singleLine(200).min(1), body: multiLine(10_000).trim().min(1), publish: z.boolean().optional() }).openapi('NewsCreate');
export const NewsPatch = z
  .object({ title: singleLine(200).min(1), body: multiLine(10_000).trim().min(1) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field')
  .openapi('NewsPatch');
