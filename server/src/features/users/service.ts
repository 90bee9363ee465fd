import { and, asc, count, desc, eq, gte, ilike, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { invitesNeedDossier, visibleDossiers, visibleUsers, type Principal } from '../../authz/index.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { dossiers, guardians, oneTimeTokens, organisations, schools, sleepingWarnings, staffSchools, users, type Role } from '../../db/schema/index.ts';
import { recordAudit, type AuditEntry } from '../audit/service.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import { CLEARED } from '../auth/lockout.ts';
import { createOneTimeToken, linkFor } from '../activation/tokens.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import { AppError } from '../../lib/errors.ts';
import type { Page } from '../../lib/openapi.ts';
import type { InviteUser, LastLoginFilter, UserListItem, UserQuery } from './schemas.ts';
import { displayNameProblem } from './display-name.ts';
import { generateUsername } from './usernames.ts';

export type InviteInput = InviteUser;

/** Who invites: a signed-in staff member or an API token (authorised by the route), or the operator at the command line (null). */
export type Inviter = Principal | null;
type Ctx = { now: Date; publicUrl: string; appSecret: string; audit: Omit<AuditEntry, 'action' | 'outcome'> };


/**
 * Who may invite whom is authz's (`user.invite` with the role as target, checked by the route);
 * dossiers to link must be visible to the inviter.
 * Creates an invited account with a generated username, links it (dossiers for parents,
 * schools for school staff), makes a 72-hour activation link and writes the welcome mail to
 * the outbox — all in one transaction. Call `mailer.kick()` afterwards.
 */
export async function inviteUser(db: Db, inviter: Inviter, organisationId: string, input: InviteInput, ctx: Ctx) {
  const nameProblem = displayNameProblem(input.displayName);
  if (nameProblem) throw new AppError('validation_failed', `displayName: ${nameProblem}`, { errors: [{ path: 'displayName', message: nameProblem }] });
  const dossierIds = [...new Set(input.dossierIds ?? [])];
  const brins = [...new Set((input.schoolBrins ?? []).map((b) => b.trim().toUpperCase()))];
  if (dossierIds.length && input.role !== 'parent') throw new AppError('validation_failed', 'dossierIds: only parents are linked to dossiers.');
  if (brins.length && input.role !== 'school') throw new AppError('validation_failed', 'schoolBrins: only school staff are linked to schools.');
  if (inviter && invitesNeedDossier(inviter) && dossierIds.length === 0) throw new AppError('validation_failed', 'dossierIds: name the dossier(s) of your school this parent is a guardian of.');

  const result = await db.transaction(async (tx) => {
    const [org] = await tx.select().from(organisations).where(eq(organisations.id, organisationId)).limit(1);
    if (!org) throw new AppError('not_found', 'Organisation not found.');
    if (dossierIds.length) {
      const allowed = await tx.select({ id: dossiers.id }).from(dossiers)
        .where(and(eq(dossiers.organisationId, organisationId), inArray(dossiers.id, dossierIds.filter(isUuidLike)), inviter ? visibleDossiers(inviter) : undefined));
      if (allowed.length !== dossierIds.length) throw new AppError('not_found', 'dossierIds: one or more dossiers do not exist or are not yours to link.');
    }
    const schoolRows = brins.length ? await tx.select().from(schools).where(and(eq(schools.organisationId, organisationId), inArray(schools.brin, brins))) : [];
    if (schoolRows.length !== brins.length) throw new AppError('not_found', 'schoolBrins: one or more schools do not exist in this organisation.');

    const username = await generateUsername(tx, organisationId, input.displayName);
    const [user] = await tx
      .insert(users)
      .values({ organisationId, username, email: input.email.trim(), displayName: input.displayName.trim(), role: input.role, status: 'invited', createdAt: ctx.now, updatedAt: ctx.now })
      .returning();
    if (dossierIds.length) await tx.insert(guardians).values(dossierIds.map((dossierId) => ({ dossierId, userId: user!.id })));
    if (schoolRows.length) await tx.insert(staffSchools).values(schoolRows.map((s) => ({ userId: user!.id, schoolId: s.id })));
    const token = await createOneTimeToken(tx, user!.id, 'activation', ctx.now);
    const link = linkFor(ctx.publicUrl, 'activation', token);
    const mailId = await enqueueMail(tx, ctx.appSecret, {
      to: user!.email,
      organisationId,
      now: ctx.now,
      mail: { template: 'welcome', displayName: user!.displayName, organisation: `${org.code} ${org.name}`, username, link },
    });
    await recordAudit(tx, { ...ctx.audit, organisationId, action: 'user.invite', outcome: 'success', subjectType: 'user', subjectId: user!.id, subjectLabel: username, detail: { role: input.role } });
    return { user: user!, link, mailId };
  });
  return result;
}

const isUuidLike = (s: string) => /^[0-9a-f-]{36}$/i.test(s);

const DAY = 86_400_000;
function lastLoginCondition(filter: LastLoginFilter | undefined, now: Date): SQL | undefined {
  switch (filter) {
    case undefined: return undefined;
    case 'never': return isNull(users.lastLoginAt);
    case 'last30': return gte(users.lastLoginAt, new Date(now.getTime() - 30 * DAY));
    case 'over30': return lt(users.lastLoginAt, new Date(now.getTime() - 30 * DAY));
    case 'over90': return lt(users.lastLoginAt, new Date(now.getTime() - 90 * DAY));
  }
}

/** Accounts linked to the school with this BRIN: its staff, and the guardians of its children. */
export function atSchool(organisationId: string, brin: string): SQL {
  const school = sql`(select s.id from schools s where s.organisation_id = ${organisationId} and s.brin = ${brin.trim().toUpperCase()})`;
  return or(
    sql`${users.id} in (select ss.user_id from staff_schools ss where ss.school_id in ${school})`,
    sql`${users.id} in (select g.user_id from guardians g join dossiers d on d.id = g.dossier_id where d.school_id in ${school})`,
  )!;
}

export async function listUsers(db: Db, actor: Principal, query: UserQuery, now = new Date()): Promise<Page<UserListItem>> {
  const scope = await visibleUsers(db, actor);
  const q = query.q?.trim();
  const where = and(
    scope,
    query.role ? eq(users.role, query.role) : undefined,
    query.status ? eq(users.status, query.status) : undefined,
    query.school?.trim() ? atSchool(actor.organisationId, query.school) : undefined,
    lastLoginCondition(query.lastLogin, now),
    q ? or(ilike(users.username, `%${escapeLike(q)}%`), ilike(users.displayName, `%${escapeLike(q)}%`), ilike(users.email, `%${escapeLike(q)}%`)) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db.select().from(users).where(where).orderBy(desc(users.createdAt), users.username).limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { items: rows.map(toListItem), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

function toListItem(u: typeof users.$inferSelect): UserListItem {
  // visibleUsers never lists the service account: every row here is a person.
  return { id: u.id, username: u.username, displayName: u.displayName, email: u.email, role: u.role as Role, status: u.status, lastLoginAt: u.lastLoginAt?.toISOString() ?? null };
}

/** The user `actor` may see, locked for update; anything else is 404 like an unknown id. */
async function manageable(tx: DbOrTx, actor: Principal, userId: string) {
  if (!isUuidLike(userId)) throw new AppError('not_found', 'User not found.');
  const [row] = await tx
    .select({ user: users, organisation: organisations })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(and(eq(users.id, userId), await visibleUsers(tx, actor)))
    .limit(1)
    .for('update', { of: users });
  if (!row) throw new AppError('not_found', 'User not found.');
  return row;
}

/**
 * Deactivates one account: its status, no activation or reset link left, every session ended
 * at once. The one way an account is deactivated (one by one, or sleeping accounts in bulk);
 * the caller audits, inside its transaction.
 */
export async function deactivateAccount(tx: DbOrTx, userId: string, now: Date): Promise<void> {
  await tx.update(users).set({ status: 'deactivated', deactivatedAt: now, updatedAt: now }).where(eq(users.id, userId));
  await tx.delete(oneTimeTokens).where(eq(oneTimeTokens.userId, userId));
  await invalidateUserSessions(tx, userId);
  // A sleeping account's warning is about the stretch that ends here; after a reactivation the clock starts again.
  await tx.delete(sleepingWarnings).where(eq(sleepingWarnings.userId, userId));
}

export type UserAction = 'resend-invitation' | 'deactivate' | 'reactivate' | 'reset-2fa' | 'unlock' | 'end-sessions';

/**
 * The staff actions on one account (authorised by the route: `user.deactivate`, …), on an
 * account the actor can see. Each is one transaction; mail goes to the outbox (kick after).
 */
export async function manageUser(db: Db, actor: Principal, userId: string, action: UserAction, ctx: Ctx): Promise<void> {
  await db.transaction(async (tx) => {
    const { user, organisation } = await manageable(tx, actor, userId);
    const org = `${organisation.code} ${organisation.name}`;
    const audit = (outcome: 'success') => recordAudit(tx, { ...ctx.audit, action: `user.${action}`, outcome, subjectType: 'user', subjectId: user.id, subjectLabel: user.username });
    switch (action) {
      case 'resend-invitation': {
        if (user.status !== 'invited') throw new AppError('conflict', 'Only an invited account that is not yet activated gets a new invitation.');
        const token = await createOneTimeToken(tx, user.id, 'activation', ctx.now);
        await enqueueMail(tx, ctx.appSecret, { to: user.email, organisationId: user.organisationId, now: ctx.now, mail: { template: 'welcome', displayName: user.displayName, organisation: org, username: user.username, link: linkFor(ctx.publicUrl, 'activation', token) } });
        break;
      }
      case 'deactivate': {
        if (user.id === actor.user.id) throw new AppError('conflict', 'You cannot deactivate your own account.');
        await deactivateAccount(tx, user.id, ctx.now);
        break;
      }
      case 'reactivate': {
        if (user.status !== 'deactivated') throw new AppError('conflict', 'The account is not deactivated.');
        const status = user.passwordHash && user.totpSecretEnc ? 'active' : 'invited';
        await tx.update(users).set({ status, deactivatedAt: null, ...CLEARED, updatedAt: ctx.now }).where(eq(users.id, user.id));
        break;
      }
      case 'unlock': {
        // Lifts a 15-minute lock or a block (3 locks in 24 hours) and clears the counters; unlocking an unlocked account changes nothing.
        await tx.update(users).set({ ...CLEARED, updatedAt: ctx.now }).where(eq(users.id, user.id));
        break;
      }
      case 'end-sessions': {
        if (user.id === actor.user.id) throw new AppError('conflict', 'Log out yourself instead; this ends the sessions of someone else.');
        await invalidateUserSessions(tx, user.id);
        break;
      }
      case 'reset-2fa': {
        if (user.status !== 'active') throw new AppError('conflict', 'Only an active account has two-factor login to reset.');
        await tx.update(users).set({ totpSecretEnc: null, totpLastStep: null, updatedAt: ctx.now }).where(eq(users.id, user.id));
        await invalidateUserSessions(tx, user.id);
        const token = await createOneTimeToken(tx, user.id, 'totp_enrolment', ctx.now);
        await enqueueMail(tx, ctx.appSecret, { to: user.email, organisationId: user.organisationId, now: ctx.now, mail: { template: 'totp_reset', displayName: user.displayName, organisation: org, username: user.username, link: linkFor(ctx.publicUrl, 'totp_enrolment', token) } });
        break;
      }
    }
    await audit('success');
  });
}

/**
 * Parents of the organisation by name, username or e-mail, to link as guardian (school staff and
 * admins, who link guardians). At most 20, active and invited accounts only.
 */
export async function findParents(db: DbOrTx, actor: Principal, q: string) {
  const p = `%${escapeLike(q.trim())}%`;
  const rows = await db
    .select({ id: users.id, displayName: users.displayName, username: users.username, email: users.email, status: users.status })
    .from(users)
    .where(and(eq(users.organisationId, actor.organisationId), eq(users.role, 'parent'), ne(users.status, 'deactivated'), or(ilike(users.displayName, p), ilike(users.username, p), ilike(users.email, p))))
    .orderBy(asc(users.displayName), asc(users.id))
    .limit(20);
  return rows;
}
