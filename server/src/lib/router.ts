import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { AppError } from './errors.ts';

/** A feature's sub-app: validation failures become `400 validation_failed` problems listing each field. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const detail = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
        throw new AppError('validation_failed', detail, { errors });
      }
    },
  });
}
