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
