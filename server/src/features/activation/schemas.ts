import { z } from '@hono/zod-openapi';

export const TokenParam = z.object({ token: z.string().max(200).openapi({ param: { name: 'token', in: 'path' } }) });
export const NewPasswordBody = z.object({ password: z.string().max(1024), code: z.string().max(64).openapi({ example: '123456' }) });

export const Activation = z
  .object({
    username: z.string(),
    organisation: z.object({ code: z.string(), name: z.string() }),
    totp: z.object({
      secret: z.string().openapi({ description: 'base32, upper case, no spaces' }),
      secretGrouped: z.string().openapi({ example: 'gv3f feu4 x32z fn3w sx4j fy6d 2vtx yx77' }),
      otpauthUri: z.string(),
      qrSvg: z.string(),
    }),
  })
  .openapi('Activation');
export type Activation = z.infer<typeof Activation>;
