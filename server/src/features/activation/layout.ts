import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f3f5f8}
main{max-width:30rem;margin:0 auto;padding:1.25rem 1rem 3rem}header{background:#1d4e89;color:#fff;padding:.75rem 1rem}header strong{font-size:1.15rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}h2{font-size:1.1rem;margin:1.4rem 0 .4rem}.card{background:#fff;border-radius:10px;padding:1rem 1.1rem;box-shadow:0 1px 3px rgba(0,0,0,.12);margin-bottom:1rem}
label{display:block;font-weight:600;margin:.9rem 0 .3rem}input{width:100%;font:inherit;padding:.65rem .7rem;border:1px solid #8a94a3;border-radius:6px}
input:focus{outline:3px solid #7aa7e0;outline-offset:1px}.hint{color:#4a5363;font-size:.9rem;margin:.25rem 0 0}
button{margin-top:1.25rem;width:100%;font:inherit;font-weight:700;padding:.8rem;border:0;border-radius:6px;background:#1d4e89;color:#fff;cursor:pointer}
.qr{display:block;margin:.5rem auto;width:100%;max-width:14rem;height:auto}.key{font:600 1.05rem/1.6 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.04em;word-spacing:.3em;text-align:center;background:#eef2f7;border-radius:6px;padding:.5rem;overflow-wrap:anywhere}
.error{background:#fdecea;border:1px solid #d93025;color:#8a1c13;border-radius:6px;padding:.6rem .8rem}.ok{background:#e6f4ea;border:1px solid #1e8e3e;border-radius:6px;padding:.6rem .8rem}
ol{padding-left:1.2rem}dl{margin:0}dt{font-weight:600}dd{margin:0 0 .5rem}`;

/** The pages' own CSP: nothing but this one stylesheet and posting the form back here. */
const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

export const PAGE_HEADERS = { 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store' };

export function page(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${title} – Kindkans</title><style>${raw(CSS)}</style></head>
<body><header><strong>Kindkans</strong></header><main>${body}</main></body>
</html>`;
}

export const errorBox = (message: string | null) => (message ? html`<p class="error" role="alert">${message}</p>` : '');

/** The problem of a dead or unknown link, as a page. */
export function linkProblemPage(code: 'not_found' | 'token_expired') {
  return page(
    'Link werkt niet',
    html`<h1>Deze link werkt niet (meer)</h1><div class="card"><p>${code === 'token_expired' ? 'De link is verlopen of al gebruikt.' : 'Deze link is onbekend.'} Vraag de school of de beheerder om een nieuwe uitnodiging, of vraag in de Kindkans-extensie een nieuwe wachtwoordlink aan.</p><p lang="en" class="hint">This link has expired, was already used, or is unknown. Ask for a new one.</p></div>`,
  );
}
