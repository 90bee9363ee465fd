import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../lib/errors.ts';

/**
 * Caps request bodies at `maxBytes` (413 payload_too_large), except on routes that stream
 * their own body with their own limit (`skip`), such as attachment uploads.
 */
export function bodyLimit(options: { maxBytes: number; skip?: (method: string, path: string) => boolean }) {
  const limit = honoBodyLimit({
    maxSize: options.maxBytes,
    onError: () => {
      throw new AppError('payload_too_large', `The request body may be at most ${options.maxBytes} bytes.`);
    },
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    if (options.skip?.(c.req.method, c.req.path)) return next();
    return limit(c, next);
  });
}
