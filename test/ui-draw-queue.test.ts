/**
 * Issue 18's longest tasks while runs train: two plots due together redrew in one animation
 * frame, one task. The page's draw queue runs one draw per frame, oldest first; a plot queued
 * again keeps its place with its newest draw; a destroyed plot's draw is forgotten.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DrawQueue } from '../src/renderer/src/lib/draw-queue.js';

let frames: Array<() => void> = [];
let q: DrawQueue;
beforeEach(() => {
  frames = [];
  q = new DrawQueue((f) => frames.push(f));
});
/** Runs the callbacks of one frame (those requested before it started). */
function frame(): void {
  const due = frames;
  frames = [];
  for (const f of due) f();
}

describe('the draw queue', () => {
  it('runs one draw per frame, oldest first, each plot with its newest figure', () => {
    const drawn: string[] = [];
    const small = {};
    const overlay = {};
    q.queue(small, () => drawn.push('small v1'));
    q.queue(overlay, () => drawn.push('overlay v1'));
    q.queue(small, () => drawn.push('small v2')); // keeps its place, newest figure
    expect(frames).toHaveLength(1); // one frame asked for, not one per draw
    frame();
    expect(drawn).toEqual(['small v2']);
    frame();
    expect(drawn).toEqual(['small v2', 'overlay v1']);
    frame();
    expect(drawn).toHaveLength(2);
    expect(q.size).toBe(0);
    expect(frames).toHaveLength(0);
  });

  it('forgets a cancelled draw and keeps going after it', () => {
    const drawn: string[] = [];
    const a = {};
    const b = {};
    q.queue(a, () => drawn.push('a'));
    q.queue(b, () => drawn.push('b'));
    q.cancel(a);
    frame();
    expect(drawn).toEqual(['b']);
    frame();
    expect(drawn).toEqual(['b']);
    // A draw queued while another runs waits for the next frame.
    q.queue(a, () => {
      drawn.push('a');
      q.queue(b, () => drawn.push('b again'));
    });
    frame();
    expect(drawn).toEqual(['b', 'a']);
    frame();
    expect(drawn).toEqual(['b', 'a', 'b again']);
  });
});

describe('the draw queue with a budget', () => {
  it("leaves the main thread three times each draw's time with a share of a quarter", () => {
    let clock = 0;
    const timers: Array<{ at: number; f: () => void }> = [];
    const budgeted = new DrawQueue((f) => frames.push(f), {
      share: 0.25,
      now: () => clock,
      delay: (f, ms) => timers.push({ at: clock + ms, f }),
    });
    const drawn: string[] = [];
    const a = {};
    const b = {};
    const c = {};
    // Each draw takes 40 ms of the clock.
    const drawOf = (name: string) => () => {
      clock += 40;
      drawn.push(name);
    };
    budgeted.queue(a, drawOf('a'));
    budgeted.queue(b, drawOf('b'));
    frame();
    expect(drawn).toEqual(['a']);
    // No frame is asked for until the 3 x 40 ms have passed, even when another plot queues.
    budgeted.queue(c, drawOf('c'));
    expect(frames).toHaveLength(0);
    expect(timers.map((t) => t.at)).toEqual([40 + 120]);
    clock = 160;
    timers.shift()!.f();
    expect(frames).toHaveLength(1);
    frame();
    expect(drawn).toEqual(['a', 'b']);
    clock = 320;
    timers.shift()!.f();
    frame();
    expect(drawn).toEqual(['a', 'b', 'c']);
    // Nothing left: the rest after the last draw asks for no frame.
    timers.shift()!.f();
    expect(frames).toHaveLength(0);
    expect(budgeted.size).toBe(0);
  });

  it('lets an urgent draw, and the draws ahead of it, skip the rest; a late rest timer does nothing', () => {
    let clock = 0;
    const timers: Array<() => void> = [];
    const budgeted = new DrawQueue((f) => frames.push(f), { share: 0.25, now: () => clock, delay: (f) => timers.push(f) });
    const drawn: string[] = [];
    const drawOf = (name: string) => () => {
      clock += 40;
      drawn.push(name);
    };
    const [a, b, c] = [{}, {}, {}];
    budgeted.queue(a, drawOf('a'));
    frame();
    // Resting after a's draw: b (live) waits; c (the user changed the scale) ends the rest.
    budgeted.queue(b, drawOf('b'));
    expect(frames).toHaveLength(0);
    budgeted.queue(c, drawOf('c'), true);
    expect(frames).toHaveLength(1);
    frame();
    // b was ahead of c and draws first, with no rest before c.
    expect(drawn).toEqual(['a', 'b']);
    expect(frames).toHaveLength(1);
    frame();
    expect(drawn).toEqual(['a', 'b', 'c']);
    // The rest a's draw started ends late and asks for nothing; c's rest then goes as usual.
    expect(timers).toHaveLength(2);
    budgeted.queue(a, drawOf('a again'));
    timers[0]();
    expect(frames).toHaveLength(0);
    timers[1]();
    expect(frames).toHaveLength(1);
    frame();
    expect(drawn).toEqual(['a', 'b', 'c', 'a again']);
  });

  it('refuses a share outside (0, 1]', () => {
    const budget = { now: () => 0, delay: () => undefined };
    expect(() => new DrawQueue(() => undefined, { ...budget, share: 0 })).toThrow(/share must be in \(0, 1\], got 0/);
    expect(() => new DrawQueue(() => undefined, { ...budget, share: 1.5 })).toThrow(/got 1.5/);
  });
});
