import { and, eq } from 'drizzle-orm';
import { users } from '../db/schema/index.ts';
import { isDemoSeeded, seedDemo } from '../demo.ts';
import { totpBox } from '../features/activation/service.ts';
import { findOrganisationByCode } from '../features/organisations/service.ts';
import { inviteUser } from '../features/users/service.ts';
import { createApiToken } from '../features/api-tokens/service.ts';
import { ApiTokenCreate } from '../features/api-tokens/schemas.ts';
import { scopes } from '../authz/principal.ts';
import { roles, type Role } from '../db/schema/index.ts';
import { readDemoKey } from '../demo-accounts.ts';
import { AppError } from '../lib/errors.ts';
import { TOTP_PERIOD, timeStepAt, totpCode } from '../lib/totp.ts';
import { CliUsageError, required, type CliCommand, type CliContext } from './context.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const list = (v: unknown) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** The organisation by code. On a fresh embedded database the demo organisation is seeded first, as `npm start` would. */
async function organisationFor(ctx: CliContext, code: string) {
  let org = await findOrganisationByCode(ctx.db, code);
  if (!org && ctx.database.kind === 'pglite' && !(await isDemoSeeded(ctx.db))) {
    await seedDemo(ctx.db);
    org = await findOrganisationByCode(ctx.db, code);
  }
  if (!org) throw new AppError('not_found', `Organisation ${code.toUpperCase()} does not exist (create it with org:create).`);
  return org;
}

export const userCommands: Record<string, CliCommand> = {
  'user:invite': {
    usage: 'user:invite --org PO2507 --role admin --email beheer@example.org --name "Beheerder" [--dossiers <id,…>] [--schools <BRIN,…>]',
    summary: 'Invite a user: prints the username (and the activation link when no SMTP server is configured)',
    options: ['org', 'role', 'email', 'name', 'dossiers', 'schools'],
    async run(ctx, options) {
      const role = required(options, 'role') as Role;
      if (!roles.includes(role)) throw new CliUsageError(`--role must be one of ${roles.join(', ')}`);
      const email = required(options, 'email');
      if (!EMAIL.test(email) || email.length > 254) throw new CliUsageError('--email must be an e-mail address');
      const name = required(options, 'name');
      if (name.length > 120) throw new CliUsageError('--name must be at most 120 characters');
      const org = await organisationFor(ctx, required(options, 'org'));
      const { user, link } = await inviteUser(ctx.db, null, org.id, { role, email, displayName: name, dossierIds: list(options.dossiers), schoolBrins: list(options.schools) }, {
        now: new Date(),
        publicUrl: ctx.env.PUBLIC_URL,
        appSecret: ctx.env.APP_SECRET,
        audit: { actor: null, organisationId: org.id, ipAddress: 'cli', userAgent: 'kindkans-cli' },
      });
      ctx.mailer.kick();
      ctx.out(`Invited ${user.displayName} <${user.email}> as ${role} in ${org.code} ${org.name}. Username: ${user.username}`);
      if (!ctx.env.SMTP_URL) ctx.out(`No SMTP server configured (SMTP_URL): activation link (valid 72 hours, once): ${link}`);
      else ctx.out(`The activation e-mail is on its way to ${user.email}.`);
    },
  },
  'token:create': {
    usage: 'token:create --org PO2507 --name "Leerlingadministratie" --scopes dossiers:read,dossiers:write [--days 90]',
    summary: `Create an API token for an integration (scopes: ${scopes.join(', ')}); prints the token once`,
    options: ['org', 'name', 'scopes', 'days'],
    async run(ctx, options) {
      const parsed = ApiTokenCreate.safeParse({
        name: required(options, 'name'),
        scopes: list(required(options, 'scopes')),
        ...(typeof options.days === 'string' ? { expiresInDays: Number(options.days) } : {}),
      });
      if (!parsed.success) {
        const flag: Record<string, string> = { name: '--name', scopes: '--scopes', expiresInDays: '--days' };
        const lines = parsed.error.issues.map((i) => `${flag[String(i.path[0])] ?? '--scopes'}: ${i.message}`);
        throw new CliUsageError(`${lines.join('\n')}\n(scopes: ${scopes.join(', ')}; --days 1–365, default 90)`);
      }
      const org = await organisationFor(ctx, required(options, 'org'));
      const made = await createApiToken(ctx.db, org.id, parsed.data, {
        now: new Date(),
        createdBy: { id: null, displayName: 'Opdrachtregel (CLI)' },
        audit: { actor: null, organisationId: org.id, ipAddress: 'cli', userAgent: 'kindkans-cli' },
      });
      ctx.out(`API token "${made.name}" for ${org.code} ${org.name}, scopes ${made.scopes.join(', ')}, valid until ${made.expiresAt}.`);
      ctx.out('It is shown only now; store it in your integration\'s secret store:');
      ctx.out(made.token);
    },
  },
  'demo:code': {
    usage: 'demo:code <username> [--org PO2507]',
    summary: 'Print a current TOTP code for an account (for demo accounts; it reads the sealed key)',
    options: ['org'],
    async run(ctx, options, positionals) {
      const username = positionals[0]?.trim().toLowerCase();
      if (!username) throw new CliUsageError('name the account: demo:code <username>');
      const org = await findOrganisationByCode(ctx.db, typeof options.org === 'string' ? options.org : 'PO2507');
      const [user] = org ? await ctx.db.select().from(users).where(and(eq(users.organisationId, org.id), eq(users.username, username))).limit(1) : [];
      if (!user?.totpSecretEnc) throw new AppError('not_found', `No account ${username} with an authenticator in ${org?.code ?? 'that organisation'}.`);
      const secret = totpBox(ctx.env.APP_SECRET).decrypt(user.totpSecretEnc);
      const now = new Date();
      // A code at or below the last one used is refused (replay): then the next step's code, valid now too.
      const step = Math.max(timeStepAt(now), (user.totpLastStep ?? 0) + 1);
      if (step > timeStepAt(now) + 1) throw new AppError('conflict', 'A code was just used; ask again in 30 seconds.');
      const code = await totpCode(secret, new Date(step * TOTP_PERIOD * 1000));
      const left = (step + 1) * TOTP_PERIOD - Math.floor(now.getTime() / 1000);
      ctx.out(`${code}  (${user.username} in ${org!.code}; valid for about ${left} more seconds)`);
    },
    async whenDataDirLocked(ctx, _options, positionals) {
      const username = positionals[0]?.trim().toLowerCase() ?? '';
      const sealed = readDemoKey(ctx.env.DATA_DIR, username);
      if (!sealed) throw new AppError('not_found', `The server holds the embedded database and ${username || 'that account'} is not a demo account: stop the server to read other accounts.`);
      const now = new Date();
      const code = await totpCode(totpBox(ctx.env.APP_SECRET).decrypt(sealed), now);
      const left = (timeStepAt(now) + 1) * TOTP_PERIOD - Math.floor(now.getTime() / 1000);
      ctx.out(`${code}  (${username}; valid for about ${left} more seconds — a code is accepted once: if it was just used, wait for the next)`);
    },
  },
};
