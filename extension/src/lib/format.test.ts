import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatSize, formatStatus, pageRange } from './format';

describe('format', () => {
  it('shows dates the Dutch way', () => {
    expect(formatDate('2020-06-12')).toBe('12-06-2020');
    expect(formatDate('2020-06-12T10:00:00Z')).toBe('12-06-2020');
    expect(formatDate('onbekend')).toBe('onbekend');
  });

  it('shows moments with the time', () => {
    expect(formatDateTime(new Date(2024, 8, 2, 9, 5).toISOString())).toBe('02-09-2024 09:05');
  });

  it('pages as page/pages and the items shown', () => {
    expect(pageRange(1, 10, 1)).toEqual({ pages: 1, range: '1' });
    expect(pageRange(2, 10, 25)).toEqual({ pages: 3, range: '11–20' });
    expect(pageRange(1, 10, 0)).toEqual({ pages: 1, range: '0' });
  });

  it('sizes and statuses for people', () => {
    expect(formatSize(512)).toBe('512 bytes');
    expect(formatSize(20480)).toBe('20 kB');
    expect(formatSize(3.5 * 1024 * 1024)).toBe('3,5 MB');
    expect(formatStatus('in behandeling')).toBe('In behandeling');
  });
});
