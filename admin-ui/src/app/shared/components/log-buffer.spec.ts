import type { LogLine } from '../../core/api/types';
import { LogBuffer, highlight } from './log-buffer';

function line(seq: number, level: LogLine['level'] = 'info', message = `line ${seq}`): LogLine {
  return { seq, level, message, id: 'p', run: 1, ts: '2026-01-01T00:00:00Z' };
}

describe('LogBuffer', () => {
  it('deduplicates by seq so backfill and live follow join without doubles', () => {
    const b = new LogBuffer();
    expect(b.push([line(1), line(2), line(3)])).toBe(3);
    expect(b.push([line(2), line(3), line(4)])).toBe(1);
    expect(b.visible.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    expect(b.cursor).toBe(4);
  });

  it('filters by level and search, incrementally for new lines', () => {
    const b = new LogBuffer();
    b.push([line(1, 'debug'), line(2, 'warn', 'disk full'), line(3, 'error', 'Disk gone')]);
    b.filter('warn', 'disk');
    expect(b.visible.map((l) => l.seq)).toEqual([2, 3]);
    b.push([line(4, 'error', 'cpu hot'), line(5, 'warn', 'DISK again')]);
    expect(b.visible.map((l) => l.seq)).toEqual([2, 3, 5]);
    b.filter('trace', '');
    expect(b.visible.length).toBe(5);
  });

  it('keeps at most max lines, dropping the oldest from both views', () => {
    const b = new LogBuffer(3);
    b.push([1, 2, 3, 4, 5].map((s) => line(s)));
    expect(b.size).toBe(3);
    expect(b.visible.map((l) => l.seq)).toEqual([3, 4, 5]);
    expect(b.text().split('\n')[0]).toContain('line 3');
  });

  it('highlights every match case-insensitively', () => {
    expect(highlight('Error: error!', 'error')).toEqual([
      { text: 'Error', hit: true },
      { text: ': ', hit: false },
      { text: 'error', hit: true },
      { text: '!', hit: false },
    ]);
    expect(highlight('abc', '')).toEqual([{ text: 'abc', hit: false }]);
  });
});
