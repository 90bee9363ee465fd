import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { AppError } from '../lib/errors.ts';

/** Caps request bodies at `maxBytes` (413 payload_too_large). */
export function bodyLimit(options: { maxBytes: number }) {
  return honoBodyLimit({
    maxSize: options.maxBytes,
    onError: () => {
      throw new AppError('payload_too_large', `The request body may be at most ${options.maxBytes} bytes.`);
    },
  });
}
