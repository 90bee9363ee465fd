import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { openPostgres } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string | null;
    pgRunId: string;
  }
}

/**
 * With DATABASE_URL (PostgreSQL): migrate one template database for this run; each test file
 * gets its own database copied from it (CREATE DATABASE … TEMPLATE), dropped afterwards.
 * Without it (PGlite): nothing to do here; each worker migrates one in-memory instance.
 */
export default async function setup(project: TestProject) {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  project.provide('pgRunId', runId);
  const url = process.env.DATABASE_URL;
  if (!url) {
    project.provide('pgTemplate', null);
    return;
  }
  const template = `kk_tpl_${runId}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${template}"`);
  const database = openPostgres(withDatabase(url, template), { max: 2 });
  await migrateDatabase(database);
  await database.close();
  project.provide('pgTemplate', template);

  return async () => {
    const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`kk_t_${runId}_%`}`;
    for (const { datname } of leftovers) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.unsafe(`drop database if exists "${template}" with (force)`);
    await admin.end();
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
