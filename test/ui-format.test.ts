import { describe, expect, it } from 'vitest';
import {
  fmtBytes,
  fmtDate,
  fmtDuration,
  fmtEstimate,
  fmtInt,
  fmtInterval,
  fmtNum,
  fmtPercent,
  fmtShort,
  fmtSigned,
  plural,
  slug,
} from '../src/renderer/src/lib/format.js';
import { smoothingLabel } from '../src/renderer/src/lib/smoothing.js';

describe('number formatting', () => {
  it('uses significant digits, exponents for tiny values and a real minus sign', () => {
    expect(fmtNum(0.123456)).toBe('0.123');
    expect(fmtNum(2.5)).toBe('2.5');
    expect(fmtNum(0.0001)).toBe('1e-4');
    expect(fmtNum(0.00012345)).toBe('1.23e-4');
    expect(fmtNum(-0.5)).toBe('−0.5');
    expect(fmtNum(12345)).toBe('12,345');
    expect(fmtNum(null)).toBe('—');
    expect(fmtNum(Infinity)).toBe('∞');
  });

  it('formats counts, percentages and signed differences', () => {
    expect(fmtInt(1234567)).toBe('1,234,567');
    expect(fmtShort(10000)).toBe('10k');
    expect(fmtShort(1_250_000)).toBe('1.3M');
    expect(fmtShort(950)).toBe('950');
    expect(fmtPercent(0.97845)).toBe('97.8%');
    expect(fmtSigned(0.012)).toBe('+0.012');
    expect(fmtSigned(-0.4)).toBe('−0.4');
    expect(plural(1, 'run')).toBe('1 run');
    expect(plural(12, 'run')).toBe('12 runs');
  });

  it('prints an interval as mean [lower, upper], or the mean alone without bounds', () => {
    expect(fmtInterval({ mean: 0.1234, lower: 0.11, upper: 0.136 })).toBe('0.123 [0.11, 0.136]');
    expect(fmtInterval({ mean: 0.5, lower: null, upper: null })).toBe('0.5');
  });

  it('reads durations, estimates and sizes like a person would say them', () => {
    expect(fmtDuration(0.42)).toBe('0.4 s');
    expect(fmtDuration(45)).toBe('45 s');
    expect(fmtDuration(200)).toBe('3 min 20 s');
    expect(fmtDuration(4320)).toBe('1 h 12 min');
    expect(fmtEstimate(30)).toBe('under a minute');
    expect(fmtEstimate(250)).toBe('about 4 min');
    expect(fmtBytes(812)).toBe('812 B');
    expect(fmtBytes(4200)).toBe('4.2 kB');
    expect(fmtBytes(1_300_000)).toBe('1.3 MB');
  });

  it('prints local dates as YYYY-MM-DD HH:MM', () => {
    const d = new Date(2025, 10, 29, 15, 53);
    expect(fmtDate(d.toISOString())).toBe('2025-11-29 15:53');
    expect(fmtDate('not a date')).toBe('not a date');
  });

  it('makes file-name slugs', () => {
    expect(slug('Why ReLU beat sigmoid!')).toBe('why-relu-beat-sigmoid');
    expect(slug('***')).toBe('experiment');
  });

  it('labels the smoothing slider', () => {
    expect(smoothingLabel(0)).toBe('off');
    expect(smoothingLabel(0.6)).toBe('0.6');
  });
});
