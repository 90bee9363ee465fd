// Dates the Dutch way: 12-06-2020, and 12-06-2020 14:05 for moments.

const pad = (n: number) => String(n).padStart(2, '0');

/** `2020-06-12` → `12-06-2020`; anything else is shown as it is. */
export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return match ? `${match[3]}-${match[2]}-${match[1]}` : isoDate;
}

/** An ISO instant in the computer's time zone: `12-06-2020 14:05`. */
export function formatDateTime(instant: string): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  return `${pad(d.getDate())}-${pad(d.getMonth() + 1)}-${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** File sizes for people: 512 bytes, 12 kB, 3,4 MB. */
export function formatSize(bytes: number, language: 'nl' | 'en' = 'nl'): string {
  const fmt = (n: number) => n.toLocaleString(language === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${fmt(bytes / 1024)} kB`;
  return `${fmt(bytes / 1024 / 1024)} MB`;
}

/** Capitalises a status word for display: `in behandeling` → `In behandeling`. */
export function formatStatus(status: string): string {
  return status ? status.charAt(0).toUpperCase() + status.slice(1) : status;
}

/** Paging text `1/1 (1 van 1)`: page/pages, then the items shown and the total. */
export function pageRange(page: number, pageSize: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return { pages, range: from === to ? String(from) : `${from}–${to}` };
}
