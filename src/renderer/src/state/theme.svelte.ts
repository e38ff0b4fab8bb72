/**
 * Light or dark: the user's choice (system, light, dark), applied as data-theme on <html> so the
 * CSS variables switch, and the plot tokens read back from those same variables, so plots follow
 * the theme without a second definition of its colors.
 */
import type { ThemeName } from '../lib/palette';
import { DEFAULT_TOKENS, type PlotTokens } from '../lib/plots/theme';

export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'ablate.theme';

export class ThemeState {
  choice = $state<ThemeChoice>('system');
  systemDark = $state(false);
  resolved: ThemeName = $derived(this.choice === 'system' ? (this.systemDark ? 'dark' : 'light') : this.choice);
  tokens = $state.raw<PlotTokens>(DEFAULT_TOKENS.light);

  readonly #media: MediaQueryList | null;
  readonly #onChange = (e: MediaQueryListEvent) => {
    this.systemDark = e.matches;
    this.#apply();
  };

  constructor() {
    this.#media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
    this.systemDark = this.#media?.matches ?? false;
    this.#media?.addEventListener('change', this.#onChange);
    try {
      const saved = localStorage.getItem(STORAGE_KEY);
      if (saved === 'light' || saved === 'dark' || saved === 'system') this.choice = saved;
    } catch {
      // Storage may be unavailable (sandboxed page): the system theme applies.
    }
    this.#apply();
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // Not persisted; still applied.
    }
    this.#apply();
  }

  #apply(): void {
    const root = document.documentElement;
    root.dataset.theme = this.resolved;
    const css = getComputedStyle(root);
    const read = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    const base = DEFAULT_TOKENS[this.resolved];
    this.tokens = {
      ...base,
      paper: read('--surface', base.paper),
      fg: read('--fg', base.fg),
      muted: read('--fg-muted', base.muted),
      grid: read('--plot-grid', base.grid),
      axis: read('--plot-axis', base.axis),
    };
  }

  dispose(): void {
    this.#media?.removeEventListener('change', this.#onChange);
  }
}
