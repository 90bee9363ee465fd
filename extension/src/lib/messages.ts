// Messages from the pages (popup, options) to the background service worker. The background
// has one handler per type (background/handlers.ts).
import { browser } from './browser';
import type { LoginResponse, Attachment } from './server-routes';
import type { LogoutReason } from './storage';

export type Message =
  | { type: 'session-start'; login: LoginResponse }
  | { type: 'logout'; reason: LogoutReason }
  | { type: 'stay-logged-in' }
  | { type: 'download'; attachment: Attachment };

export type DownloadReply = { ok: true; downloadId: number } | { ok: false; error: string };

export interface Replies {
  'session-start': void;
  logout: void;
  'stay-logged-in': void;
  download: DownloadReply;
}

export function send<M extends Message>(message: M): Promise<Replies[M['type']]> {
  return browser.runtime.sendMessage(message) as Promise<Replies[M['type']]>;
}
