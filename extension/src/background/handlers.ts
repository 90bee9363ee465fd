// The one message-handler map of the background: a type, a function.
import type { Message, Replies } from '../lib/messages';
import { logout, startSession, stayLoggedIn } from './session';
import { startDownload } from './downloads';

type Handlers = { [T in Message['type']]: (message: Extract<Message, { type: T }>) => Promise<Replies[T]> };

const handlers: Handlers = {
  'session-start': (m) => startSession(m.login),
  logout: (m) => logout(m.reason),
  'stay-logged-in': () => stayLoggedIn(),
  download: (m) => startDownload(m.attachment),
};

export function handleMessage(message: unknown): Promise<unknown> | undefined {
  const type = (message as Message | null)?.type;
  if (!type || !(type in handlers)) return undefined;
  const handler = handlers[type] as (m: Message) => Promise<unknown>;
  return handler(message as Message);
}
