import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../test/app.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

interface LintProblem { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }

/**
 * Issue 15: the document integrators feed to their tools passes `redocly lint` with the rules of
 * redocly.yaml (the recommended set): no errors, no warnings.
 */
interface Operation { operationId?: string; summary?: string; tags?: string[]; responses: Record<string, unknown>; security?: unknown[]; requestBody?: { content: Record<string, unknown> } }
interface Doc { paths: Record<string, Record<string, Operation>>; servers?: unknown; tags?: Array<{ name: string; description?: string }>; [key: string]: unknown }

describe('the OpenAPI document', () => {
  let t: TestContext;
  let doc: Doc;
  beforeAll(async () => {
    t = await createTestApp();
    doc = await (await t.app.request('/openapi.json')).json();
  });
  afterAll(() => t.close());

  it('passes redocly lint (recommended rules, redocly.yaml) without errors or warnings', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kindkans-openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const cli = join(root, 'node_modules/@redocly/cli/bin/cli.js');
    const result = await run(process.execPath, [cli, 'lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'json'], {
      cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout: string; stderr: string }) => err);
    const json = result.stdout.slice(result.stdout.indexOf('{'));
    const problems = (JSON.parse(json) as { problems: LintProblem[] }).problems;
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} ${p.location[0]?.pointer ?? ''}`)).toEqual([]);
  }, 60_000);

  it('gives every operation a unique verb-first camelCase operationId, a summary and a tag', () => {
    const ids: string[] = [];
    const bad: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        ids.push(op.operationId ?? '');
        if (!/^(list|get|create|update|delete|download|upload|search|link|unlink|invite|resend|deactivate|reactivate|reset|unlock|revoke|login|logout|end|complete|request|publish|withdraw|preview|export|anonymise|archive|unarchive)[A-Z0-9]?[A-Za-z0-9]*$/.test(op.operationId ?? '') || !op.summary || !op.tags?.length) bad.push(`${method} ${path}`);
      }
    }
    expect(bad).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("declares every tag it uses, with a description (integrators' tools group and explain operations by them)", () => {
    const used = new Set(Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags ?? [])));
    const declared = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description ?? '']));
    expect([...used].filter((tag) => !declared.get(tag))).toEqual([]);
    expect([...declared.keys()].filter((tag) => !used.has(tag))).toEqual([]);
  });

  it('declares 400, 413 and 415 on every operation with a JSON body (the body limit and the content-type check answer them anywhere)', () => {
    const lacking = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.requestBody?.content['application/json'])
        .filter(([, op]) => ['400', '413', '415'].some((status) => !op.responses[status]))
        .map(([method, op]) => `${method} ${path} (${op.operationId})`),
    );
    expect(lacking).toEqual([]);
  });

  it('declares a 4XX answer on every operation but the two public reads that cannot give one (redocly.yaml)', () => {
    const without: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) if (!Object.keys(op.responses).some((s) => s.startsWith('4'))) without.push(`${method} ${path}`);
    }
    expect(without.sort()).toEqual(['get /api/v1/organisations', 'get /health']);
  });

  it('names its server (PUBLIC_URL) and marks public operations with security: []', () => {
    expect(doc.servers).toEqual([{ url: t.env.PUBLIC_URL, description: expect.any(String) }]);
    const publicOps = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([, op]) => op.security?.length === 0).map(([m]) => `${m} ${path}`));
    expect(publicOps.sort()).toEqual([
      'get /api/v1/activation/{token}', 'get /api/v1/organisations', 'get /api/v1/password-reset/{token}', 'get /health',
      'post /api/v1/activation/{token}', 'post /api/v1/auth/login', 'post /api/v1/auth/password-reset', 'post /api/v1/password-reset/{token}',
    ]);
  });
});
