import { and, asc, eq } from 'drizzle-orm';
import { organisations, users } from '../db/schema/index.ts';
import { runSleepingJob } from '../features/sleeping/job.ts';
import { awake, getSleepingSettings, inactiveSince, sleepingAt } from '../features/sleeping/service.ts';
import { findOrganisationByCode } from '../features/organisations/service.ts';
import { AppError } from '../lib/errors.ts';
import { required, type CliCommand } from './context.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

export const sleepingCommands: Record<string, CliCommand> = {
  'accounts:sleeping': {
    usage: 'accounts:sleeping --org PO2507',
    summary: "List the organisation's sleeping accounts (no login for its number of months) and its setting",
    options: ['org'],
    async run(ctx, options) {
      const code = required(options, 'org');
      const org = await findOrganisationByCode(ctx.db, code);
      if (!org) throw new AppError('not_found', `Organisation ${code.toUpperCase()} does not exist.`);
      const settings = await getSleepingSettings(ctx.db, org.id);
      const rows = await ctx.db
        .select({ username: users.username, role: users.role, status: users.status, lastLoginAt: users.lastLoginAt, createdAt: users.createdAt })
        .from(users)
        .where(and(eq(users.organisationId, org.id), awake(), sleepingAt(settings.months, new Date())))
        .orderBy(asc(inactiveSince), asc(users.username));
      ctx.out(`${org.code} ${org.name}: ${rows.length} account(s) without a login for ${settings.months} months; the daily job is ${settings.enabled ? 'on' : 'off'}.`);
      for (const r of rows) ctx.out(`  ${r.username}  ${r.role}  ${r.status}  ${r.lastLoginAt ? `last login ${day(r.lastLoginAt)}` : `never logged in (invited ${day(r.createdAt)})`}`);
    },
  },
  'jobs:sleeping': {
    usage: 'jobs:sleeping',
    summary: "Run today's sleeping-accounts job now, as the server does daily (organisations that turned it on; once a day each)",
    options: [],
    async run(ctx) {
      const runs = await runSleepingJob(ctx.db, { now: new Date(), appSecret: ctx.env.APP_SECRET });
      await ctx.mailer.flush();
      if (runs.length === 0) ctx.out('No organisation has turned the sleeping-accounts job on.');
      const names = new Map((await ctx.db.select().from(organisations)).map((o) => [o.id, `${o.code} ${o.name}`]));
      for (const r of runs) {
        const name = names.get(r.organisationId) ?? r.organisationId;
        ctx.out(r.ran ? `${name}: ${r.warned} warned, ${r.deactivated} deactivated.` : `${name}: already ran today (or running in the server now).`);
      }
    },
  },
};
