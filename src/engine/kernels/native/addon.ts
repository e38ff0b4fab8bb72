/**
 * Finds and loads the native kernel addon (native/src, Node-API) through node-gyp-build, the
 * ecosystem's loader: a binary built on this machine (build/Release, `npm install` runs
 * scripts/build-native.mjs) or a prebuilt one (prebuilds/<platform>-<arch>, made by the release
 * workflow). The addon directory is found by walking up from this module, which sits at different
 * depths in the sources (tsx), the CLI and worker bundles (out/), and the packaged app, where the
 * binary is unpacked from the asar (app.asar.unpacked) so that it loads from a real file.
 *
 * Loaded once per thread, lazily; a failure is remembered as a reason (never thrown here) so that
 * callers can fall back to the wasm set with one clear line. Any thread may call.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlatKernels } from '../flat-abi.generated.js';

/** One thread's kernel functions on one run memory: pointers are byte offsets into it. */
export interface NativeInstance extends FlatKernels {
  /** Tests: writes `value` at the float at byte offset `at` and returns the float that was there. */
  probe(at: number, value: number): number;
  /** Tests: the memory's address, to show that it never moves. */
  address(): number;
}

export interface NativeAddon {
  /** The instruction-set path this process uses ("avx512", "avx2", "neon", "portable"), or null. */
  isa: string | null;
  /** Why no path could be chosen (ABLATE_NATIVE_ISA naming one this CPU lacks), or null. */
  loadError: string | null;
  /** The binding's calling convention (ABL_ABI_VERSION in native/src/addon.h); absent before version 2. */
  abi?: number;
  /** Writes the monotonic time in ms (performance.now's clock, another origin) into clockReading[0]; see run/clock.ts. */
  clock(): void;
  clockReading: Float64Array;
  /** The same reading in whole ms modulo 2^30 (written by clock() too). */
  clockReadingMs: Int32Array;
  /** The paths this CPU supports, best first, comma-separated. */
  supportedPaths: string;
  /**
   * Copies rows indices[from, from + rows) of features (d floats each) into out, row after row
   * (addon_gather.c); checks every argument and index first and throws, writing nothing, on a bad
   * one.
   */
  gatherRows(features: Float32Array, d: number, indices: Int32Array, from: number, rows: number, out: Float32Array): void;
  /** `floats`: the instance's float block (contract.ts), FLOAT_BLOCK_SLOTS doubles over its own SharedArrayBuffer. */
  create(view: Float32Array, scratchOffset: number, scratchBytes: number, floats: Float64Array): NativeInstance;
}

const ADDON_FILE = path.join('build', 'Release', 'ablate_kernels.node');
/** The calling convention these sources expect of the addon (ABL_ABI_VERSION in native/src/addon.h). */
export const NATIVE_ABI = 6;

/** The folder holding build/Release or prebuilds/<platform>-<arch>, walking up from `start`. */
export function findAddonDir(start: string, platform = process.platform, arch = process.arch): string | null {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, ADDON_FILE)) || existsSync(path.join(dir, 'prebuilds', `${platform}-${arch}`))) {
      // Inside a packaged app: load from the unpacked copy, a real file.
      return dir.replace(/app\.asar(?=$|[\\/])/, 'app.asar.unpacked');
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

let loaded: { addon: NativeAddon | null; reason: string | null } | undefined;

/** The addon, or null with the reason it is unavailable (cached per thread). */
export function loadNativeAddon(): { addon: NativeAddon | null; reason: string | null } {
  if (loaded) return loaded;
  try {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const dir = findAddonDir(here);
    if (dir === null) {
      loaded = { addon: null, reason: 'the native kernels are not built (no C compiler at install?)' };
    } else {
      const require = createRequire(import.meta.url);
      const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
      const addon = nodeGypBuild(dir) as NativeAddon;
      if (addon.abi !== NATIVE_ABI) {
        // Built from older sources: it would take its floats from the wrong place.
        loaded = {
          addon: null,
          reason: `the native kernels are built from other sources (ABI ${addon.abi ?? 1}, expected ${NATIVE_ABI}; rebuild with npm run build:native)`,
        };
      } else {
        loaded = addon.isa ? { addon, reason: null } : { addon: null, reason: addon.loadError ?? 'no instruction-set path' };
      }
    }
  } catch (err) {
    loaded = {
      addon: null,
      reason: `the native kernels failed to load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    };
  }
  return loaded;
}
