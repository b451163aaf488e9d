import { node, plugin } from '../../testing/nodes';
import { remotePluginUrl, runningCount, seenAgo } from './nodes';

describe('nodes', () => {
  const here = node('box', { current: true, lastSeen: '2026-12-06T08:00:00Z' });

  it('counts the running plugins', () => {
    const n = node('gpu-1', {
      plugins: [plugin('llm', 'running', 'gpu-1'), plugin('candle', 'stopped', 'gpu-1'), plugin('brain', 'running', 'gpu-1')],
    });
    expect(runningCount(n)).toBe(2);
    expect(runningCount(node('empty'))).toBe(0);
  });

  it('says how long ago a node was seen on the answering node’s clock', () => {
    const at = (lastSeen: string) => seenAgo(node('x', { lastSeen }), [here, node('x', { lastSeen })]);
    expect(seenAgo(here, [here])).toBe('now');
    expect(at('2026-12-06T08:00:00Z')).toBe('now');
    expect(at('2026-12-06T07:59:56Z')).toBe('4 s ago');
    expect(at('2026-12-06T07:57:45Z')).toBe('2 min ago');
    expect(at('2026-12-06T05:00:00Z')).toBe('3 h ago');
    expect(at('2026-12-04T08:00:00Z')).toBe('2 d ago');
    // Without the answering node there is no clock to measure on.
    expect(seenAgo(node('x'), [node('x')])).toBeNull();
  });

  it('links another node’s plugin to that node’s own web UI', () => {
    expect(remotePluginUrl(node('gpu-1'), 'llm server')).toBe('http://gpu-1.lan:8420/plugins/llm%20server');
    expect(remotePluginUrl(node('x', { url: 'https://x.example/' }), 'p')).toBe('https://x.example/plugins/p');
  });
});
