import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';

/**
 * The mark of an upload route (first in its `middleware`): its body streams to the spool with
 * its own limit (UPLOAD_MAX_MB), so the app leaves it out of the JSON body limit and the
 * admission gate. The route says so itself; app.ts keeps no list of upload paths.
 */
export const streamsItsBody: MiddlewareHandler = async (_c, next) => {
  await next();
};

/** Whether this request goes to an upload route (Hono matches every route of a request up front). */
export const isStreamedUpload = (c: Context): boolean => matchedRoutes(c).some((route) => route.handler === streamsItsBody);
