// An in-memory stand-in for the WebExtension API, enough for the popup, the options page
// and the background to run in happy-dom. Messages sent with runtime.sendMessage reach the
// listeners registered with runtime.onMessage, as between a popup and its service worker.

type Listener = (...args: any[]) => unknown;

export class FakeEvent {
  listeners = new Set<Listener>();
  addListener = (l: Listener) => void this.listeners.add(l);
  removeListener = (l: Listener) => void this.listeners.delete(l);
  hasListener = (l: Listener) => this.listeners.has(l);
  fire(...args: unknown[]) {
    return [...this.listeners].map((l) => l(...args));
  }
}

const clone = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

function makeArea(name: string, onChanged: FakeEvent) {
  const data = new Map<string, unknown>();
  const emit = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>) => {
    if (Object.keys(changes).length) onChanged.fire(changes, name);
  };
  return {
    data,
    async get(keys?: string | string[] | null) {
      const list = keys == null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((k) => data.has(k)).map((k) => [k, clone(data.get(k))]));
    },
    async set(values: Record<string, unknown>) {
      const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
      for (const [k, v] of Object.entries(values)) {
        changes[k] = { oldValue: clone(data.get(k)), newValue: clone(v) };
        data.set(k, clone(v));
      }
      emit(changes);
    },
    async remove(keys: string | string[]) {
      const changes: Record<string, { oldValue?: unknown }> = {};
      for (const k of Array.isArray(keys) ? keys : [keys]) {
        if (data.has(k)) changes[k] = { oldValue: data.get(k) };
        data.delete(k);
      }
      emit(changes);
    },
    async clear() {
      const changes = Object.fromEntries([...data.entries()].map(([k, v]) => [k, { oldValue: v }]));
      data.clear();
      emit(changes);
    },
  };
}

/**
 * `storage.managed`: what browser policy sets, read-only for the extension. A test sets a policy
 * with `data.set(…)`; `missing = true` behaves like Firefox without a policy (get rejects).
 */
function makeManagedArea() {
  const data = new Map<string, unknown>();
  const refuse = async () => {
    throw new Error('storage.managed is read-only');
  };
  return {
    data,
    missing: false,
    async get(keys?: string | string[] | null) {
      if (this.missing) throw new Error('Managed storage manifest not found');
      const list = keys == null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((k) => data.has(k)).map((k) => [k, clone(data.get(k))]));
    },
    set: refuse,
    remove: refuse,
    clear: refuse,
  };
}

export interface FakeDownload {
  id: number;
  url: string;
  filename: string;
  headers?: { name: string; value: string }[];
  state: 'in_progress' | 'complete' | 'interrupted';
  bytesReceived: number;
  totalBytes: number;
  error?: string;
}

export function createFakeBrowser() {
  const storageChanged = new FakeEvent();
  const onMessage = new FakeEvent();
  const alarms = new Map<string, { name: string; scheduledTime: number }>();
  const notifications = new Map<string, Record<string, unknown>>();
  const downloads: FakeDownload[] = [];
  const badge = { text: '', title: 'Kindkans', color: '' };
  const granted = new Set<string>();
  const fake = {
    runtime: {
      id: 'kindkans-test',
      onMessage,
      getURL: (path: string) => `chrome-extension://kindkans-test/${path}`,
      async sendMessage(message: unknown) {
        const results = onMessage.fire(message, { id: 'kindkans-test', url: 'chrome-extension://kindkans-test/popup.html' });
        const answer = results.find((r) => r !== undefined);
        return answer instanceof Promise ? answer : answer;
      },
    },
    storage: {
      local: makeArea('local', storageChanged),
      session: makeArea('session', storageChanged),
      sync: makeArea('sync', storageChanged),
      managed: makeManagedArea(),
      onChanged: storageChanged,
    },
    alarms: {
      alarms,
      onAlarm: new FakeEvent(),
      create: (name: string, info: { when?: number; delayInMinutes?: number }) => {
        alarms.set(name, { name, scheduledTime: info.when ?? Date.now() + (info.delayInMinutes ?? 0) * 60_000 });
      },
      clear: async (name: string) => alarms.delete(name),
      get: async (name: string) => alarms.get(name),
      getAll: async () => [...alarms.values()],
    },
    notifications: {
      shown: notifications,
      onButtonClicked: new FakeEvent(),
      onClicked: new FakeEvent(),
      create: async (id: string, options: Record<string, unknown>) => {
        notifications.set(id, options);
        return id;
      },
      clear: async (id: string) => notifications.delete(id),
      getAll: async () => Object.fromEntries(notifications),
    },
    downloads: {
      list: downloads,
      onChanged: new FakeEvent(),
      download: async (options: Omit<FakeDownload, 'id' | 'state' | 'bytesReceived' | 'totalBytes'>) => {
        const id = downloads.length + 1;
        downloads.push({ ...options, id, state: 'in_progress', bytesReceived: 0, totalBytes: 1000 });
        return id;
      },
      search: async ({ id }: { id: number }) => downloads.filter((d) => d.id === id).map(clone),
    },
    action: {
      badge,
      setBadgeText: async ({ text }: { text: string }) => void (badge.text = text),
      setBadgeBackgroundColor: async ({ color }: { color: string }) => void (badge.color = color),
      setTitle: async ({ title }: { title: string }) => void (badge.title = title),
    },
    idle: { onStateChanged: new FakeEvent(), setDetectionInterval: () => undefined },
    tabs: {
      opened: [] as string[],
      async create({ url }: { url: string }) {
        fake.tabs.opened.push(url);
        return { id: fake.tabs.opened.length, url };
      },
    },
    permissions: {
      granted,
      answer: true,
      async request({ origins }: { origins: string[] }) {
        if (this.answer) origins.forEach((o) => granted.add(o));
        return this.answer;
      },
      contains: async ({ origins }: { origins: string[] }) => origins.every((o) => granted.has(o)),
    },
    i18n: { getUILanguage: () => 'nl-NL' },
  };
  return fake;
}

export type FakeBrowser = ReturnType<typeof createFakeBrowser>;

let current: FakeBrowser = createFakeBrowser();

/** The fake the code under test sees right now. */
export function fakeBrowser(): FakeBrowser {
  return current;
}

/** A fresh fake: empty storage, no listeners. */
export function resetFakeBrowser(): FakeBrowser {
  current = createFakeBrowser();
  return current;
}
