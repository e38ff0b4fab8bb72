/**
 * The results table's intervals in a narrow window (issue 18: it scrolled sideways at 1024x700):
 * split into pieces that wrap between them, a unit repeated on both bounds written once, every
 * number kept. Expected pieces written by hand.
 */
import { describe, expect, it } from 'vitest';
import { intervalParts } from '../src/renderer/src/lib/interval-parts.js';

describe('intervalParts', () => {
  it('splits the estimate from its bounds', () => {
    expect(intervalParts('0.253 [0.187, 0.341]')).toEqual({
      head: '0.253',
      ci: '[0.187, 0.341]',
      full: '0.253 [0.187, 0.341]',
      abbreviated: false,
    });
    expect(intervalParts('92.0% [90.0%, 93.6%]')).toMatchObject({ head: '92.0%', ci: '[90.0%, 93.6%]', abbreviated: false });
    expect(intervalParts('0.253')).toMatchObject({ head: '0.253', ci: null });
    expect(intervalParts('—')).toMatchObject({ head: '—', ci: null });
  });

  it('writes a unit repeated on both bounds once, keeping every number', () => {
    expect(intervalParts('+81.44 pp [+81.03 pp, +81.86 pp]')).toEqual({
      head: '+81.44 pp',
      ci: '[+81.03, +81.86]',
      full: '+81.44 pp [+81.03 pp, +81.86 pp]',
      abbreviated: true,
    });
    expect(intervalParts('−2.10 s [−3.50 s, −0.70 s]')).toMatchObject({ head: '−2.10 s', ci: '[−3.50, −0.70]' });
  });

  it('leaves bounds alone when they are not a number and that unit', () => {
    // Durations in mixed units: dropping " s" would change their meaning.
    expect(intervalParts('1 min 2 s [58 s, 1 min 6 s]')).toMatchObject({ head: '1 min 2 s', ci: '[58 s, 1 min 6 s]', abbreviated: false });
    expect(intervalParts('+1.20 pp [+0.50 pp, n/a]')).toMatchObject({ ci: '[+0.50 pp, n/a]', abbreviated: false });
  });
});
