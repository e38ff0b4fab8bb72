/**
 * SVG figures to PNG in plain Node: resvg compiled to WebAssembly (@resvg/resvg-wasm), no browser
 * and no native binary. The WebAssembly build sees no system fonts, so text is set in DejaVu Sans
 * (regular and bold) read from the dejavu-fonts-ttf package (Bitstream Vera licence, free to
 * redistribute): every generic family (the report's SVGs ask for sans-serif) maps to it, so a PNG
 * looks the same on every machine. The module is initialized once per process.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

// Not named `require`: the CLI bundle's banner declares that name.
const resolvePackageFile = createRequire(import.meta.url).resolve;

let ready: Promise<Uint8Array[]> | null = null;

/** The wasm module, initialized, and the font files. */
function init(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    await initWasm(await readFile(resolvePackageFile('@resvg/resvg-wasm/index_bg.wasm')));
    return Promise.all(
      ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map(
        async (f) => new Uint8Array(await readFile(resolvePackageFile(`dejavu-fonts-ttf/ttf/${f}`))),
      ),
    );
  })();
  return ready;
}

export const PNG_WIDTH = { min: 16, max: 8000 } as const;

/**
 * The SVG drawn `width` pixels wide (height in proportion) on white paper, as PNG bytes.
 * Throws when the width is not an integer in PNG_WIDTH.
 */
export async function svgToPng(svg: string, width: number): Promise<Uint8Array> {
  if (!Number.isInteger(width) || width < PNG_WIDTH.min || width > PNG_WIDTH.max)
    throw new Error(`PNG width must be a whole number of pixels from ${PNG_WIDTH.min} to ${PNG_WIDTH.max}, got ${width}`);
  const fontBuffers = await init();
  const family = 'DejaVu Sans';
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: { fontBuffers, defaultFontFamily: family, sansSerifFamily: family, serifFamily: family, monospaceFamily: family },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
