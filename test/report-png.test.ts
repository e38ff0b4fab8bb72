/**
 * Figures to PNG in plain Node (resvg as WebAssembly with a shipped font), checked by decoding
 * the bytes with an independent decoder: the PNG signature, IHDR's size as asked, and text that
 * is drawn where the SVG puts it (the WebAssembly build has no system fonts: without the shipped
 * one it would draw no text at all).
 */
import { describe, expect, it } from 'vitest';
import { svgToPng } from '../src/services/report/png.js';
import { darkPixels, decodePng } from './helpers/png-decode.js';

const TEXT_ONLY = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100" font-family="sans-serif" font-size="20"><text x="10" y="40" font-weight="600">Ablate</text><text x="110" y="80">7 ± 2</text></svg>`;

describe('SVG to PNG', () => {
  it('draws at the width asked, height in proportion, with the text where the SVG puts it', async () => {
    const png = decodePng(await svgToPng(TEXT_ONLY, 400));
    expect([png.width, png.height]).toEqual([400, 200]);
    // At 2x: "Ablate" spans x 20..~170, baseline y 80 (cap height ~ 30 px); "7 ± 2" from x 220, baseline 160.
    expect(darkPixels(png, [20, 45, 180, 82])).toBeGreaterThan(300);
    expect(darkPixels(png, [220, 125, 330, 162])).toBeGreaterThan(150);
    // Nothing drawn elsewhere: the paper is white.
    expect(darkPixels(png, [0, 90, 200, 200])).toBe(0);
    expect(darkPixels(png, [200, 0, 400, 110])).toBe(0);
    expect([...png.rgba.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
  });

  it('refuses a width that is not a whole number of pixels in range', async () => {
    await expect(svgToPng(TEXT_ONLY, 10.5)).rejects.toThrow(/PNG width must be a whole number of pixels from 16 to 8000, got 10.5/);
    await expect(svgToPng(TEXT_ONLY, 9000)).rejects.toThrow(/got 9000/);
  });
});
