/**
 * Issue 18's longest tasks while runs train: two plots due together redrew in one animation
 * frame, one task. The page's draw queue runs one draw per frame, oldest first; a plot queued
 * again keeps its place with its newest draw; a destroyed plot's draw is forgotten.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cancelDraw, pendingDraws, queueDraw } from '../src/renderer/src/plot/draw-queue.js';

let frames: Array<() => void> = [];
const g = globalThis as unknown as { requestAnimationFrame?: (f: () => void) => number };
beforeEach(() => {
  frames = [];
  g.requestAnimationFrame = (f) => frames.push(f);
});
afterEach(() => {
  delete g.requestAnimationFrame;
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
    queueDraw(small, () => drawn.push('small v1'));
    queueDraw(overlay, () => drawn.push('overlay v1'));
    queueDraw(small, () => drawn.push('small v2')); // keeps its place, newest figure
    frame();
    expect(drawn).toEqual(['small v2']);
    frame();
    expect(drawn).toEqual(['small v2', 'overlay v1']);
    frame();
    expect(drawn).toHaveLength(2);
    expect(pendingDraws()).toBe(0);
  });

  it('forgets a cancelled draw and keeps going after it', () => {
    const drawn: string[] = [];
    const a = {};
    const b = {};
    queueDraw(a, () => drawn.push('a'));
    queueDraw(b, () => drawn.push('b'));
    cancelDraw(a);
    frame();
    expect(drawn).toEqual(['b']);
    frame();
    expect(drawn).toEqual(['b']);
    // A draw queued while another runs waits for the next frame.
    queueDraw(a, () => {
      drawn.push('a');
      queueDraw(b, () => drawn.push('b again'));
    });
    frame();
    expect(drawn).toEqual(['b', 'a']);
    frame();
    expect(drawn).toEqual(['b', 'a', 'b again']);
  });
});
