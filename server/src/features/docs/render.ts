import { html, raw } from 'hono/html';

interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, { summary?: string; tags?: string[]; security?: unknown[]; responses?: Record<string, unknown> }>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** A self-contained reference page (no CDN, no script) rendered from /openapi.json. */
export function renderDocs(doc: OpenApiDoc) {
  const byTag = new Map<string, { method: string; path: string; summary: string; secured: boolean; statuses: string[] }[]>();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = ops[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'Other';
      const list = byTag.get(tag) ?? [];
      list.push({ method, path, summary: op.summary ?? '', secured: (op.security?.length ?? 0) > 0, statuses: Object.keys(op.responses ?? {}) });
      byTag.set(tag, list);
    }
  }
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} API ${doc.info.version}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2733}
h1{margin-bottom:.2rem}code{font:13px ui-monospace,monospace}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}td{padding:.35rem .5rem;border-bottom:1px solid #e3e8ee;vertical-align:top}
.m{font-weight:700;text-transform:uppercase;width:4.5rem}.get{color:#1a7f37}.post{color:#0b5cad}.patch{color:#8a5a00}.delete{color:#b42318}
.s{color:#5b6b7b;font-size:13px}
</style>
</head>
<body>
<h1>${doc.info.title} API <small>${doc.info.version}</small></h1>
<p>${doc.info.description ?? ''}</p>
<p>Machine-readable: <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI 3.1). Authenticated routes take <code>Authorization: Bearer &lt;token&gt;</code>; errors are <code>application/problem+json</code>.</p>
${raw(
  [...byTag.entries()]
    .map(
      ([tag, ops]) =>
        `<h2>${escapeHtml(tag)}</h2><table>${ops
          .map(
            (o) =>
              `<tr><td class="m ${o.method}">${o.method}</td><td><code>${escapeHtml(o.path)}</code>${o.secured ? ' 🔒' : ''}<div>${escapeHtml(o.summary)}</div></td><td class="s">${o.statuses.join(' · ')}</td></tr>`,
          )
          .join('')}</table>`,
    )
    .join(''),
)}
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
