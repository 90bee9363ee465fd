// Test helper (not a test): every response the API tests produce is checked against the
// server's own /openapi.json — the status is declared for the operation, a JSON body matches
// the declared schema (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses it, with ajv-formats), and
// every error is application/problem+json matching the Problem schema. `createTestApp` wraps the
// app's fetch with it, so it runs over the whole API suite; a mismatch fails the test that made
// the request, naming the operation and what is wrong.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Doc = { paths: Record<string, Record<string, Operation>>; components?: Record<string, unknown> };
type MediaTypes = Record<string, { schema?: { type?: string; format?: string; [keyword: string]: unknown } }>;
interface Operation { operationId?: string; responses: Record<string, { content?: MediaTypes }> }

export class ConformanceError extends Error {
  override name = 'ConformanceError';
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const JSON_TYPE = /^application\/(problem\+)?json\b/i;

/** Builds the checker for one OpenAPI document. */
export function createConformanceChecker(doc: Doc | object) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'openapi', ...doc, $schema: undefined } as object);
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string) => {
    let v = validators.get(pointer);
    if (!v) {
      v = ajv.getSchema(`openapi#${pointer}`);
      if (!v) throw new ConformanceError(`no schema at ${pointer}`);
      validators.set(pointer, v);
    }
    return v;
  };
  const routes = Object.entries((doc as Doc).paths).map(([template, item]) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    item,
  }));

  /** The documented operation for a request, if any (HEAD is checked as the GET it is). */
  function operationFor(method: string, path: string) {
    const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
    for (const r of routes) if (r.pattern.test(path) && r.item[m]) return { template: r.template, method: m, op: r.item[m]! };
    return null;
  }

  /** Checks one response to `method path`; throws a ConformanceError describing each mismatch. */
  async function check(method: string, url: string, res: Response): Promise<void> {
    const path = new URL(url, 'http://x').pathname;
    if (method === 'OPTIONS') return; // CORS preflight: not an operation
    const found = operationFor(method, path);
    const type = res.headers.get('content-type') ?? '';
    const problems: string[] = [];
    const isApi = path.startsWith('/api/') || path === '/health';
    if (res.status >= 400 && (found || isApi)) {
      if (!/^application\/problem\+json\b/i.test(type)) problems.push(`an error answered ${type || 'without a content type'}, not application/problem+json`);
      else problems.push(...(await validate('/components/schemas/Problem', res)));
    }
    if (found) {
      const { template, method: m, op } = found;
      const declared = op.responses[String(res.status)] ?? op.responses[`${String(res.status)[0]}XX`] ?? op.responses.default;
      if (!declared) {
        problems.push(`status ${res.status} is not declared (declared: ${Object.keys(op.responses).join(', ')})`);
      } else if (res.status < 400 && declared.content && method !== 'HEAD' && res.status !== 304) {
        const mediaType = type.split(';')[0]!.trim().toLowerCase();
        const binary = Object.values(declared.content).some((c) => c.schema?.format === 'binary');
        if (declared.content[mediaType] && JSON_TYPE.test(mediaType)) {
          const pointer = `/paths/${escapePointer(template)}/${m}/responses/${res.status}/content/${escapePointer(mediaType)}/schema`;
          problems.push(...(await validate(pointer, res)));
        } else if (!declared.content[mediaType] && !binary) {
          problems.push(`content type ${type || '(none)'} is not declared for ${res.status} (declared: ${Object.keys(declared.content).join(', ')})`);
        }
      }
      if (problems.length) throw new ConformanceError(`${method} ${path} (${op.operationId ?? template}) → ${res.status}: ${problems.join('; ')}`);
    } else if (problems.length) {
      throw new ConformanceError(`${method} ${path} → ${res.status}: ${problems.join('; ')}`);
    }
  }

  async function validate(pointer: string, res: Response): Promise<string[]> {
    let body: unknown;
    try {
      body = await res.clone().json();
    } catch {
      return ['the body is not JSON'];
    }
    const v = validatorAt(pointer);
    if (v(body)) return [];
    return (v.errors ?? []).map((e) => `body${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  }

  return { check, operationFor };
}

/**
 * Wraps `app.fetch` (which `app.request` calls) so that every answer is checked before the test
 * sees it. Bodies are read from a clone, and only when they are JSON: downloads stream untouched.
 */
export function checkConformance<A extends { fetch: (req: Request, ...rest: any[]) => Response | Promise<Response>; getOpenAPI31Document: (config: any) => unknown }>(app: A): A {
  const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Kindkans', version: '1' } }) as Doc;
  const checker = createConformanceChecker(JSON.parse(JSON.stringify(doc)) as Doc);
  const original = app.fetch.bind(app);
  app.fetch = async (req: Request, ...rest: any[]) => {
    const res = await original(req, ...rest);
    await checker.check(req.method, req.url, res);
    return res;
  };
  return app;
}
