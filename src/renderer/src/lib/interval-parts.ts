/**
 * An interval as the results table lays it out in a narrow window: "0.253 [0.187, 0.341]" as two
 * pieces that may wrap between them but never inside, and a unit written on every bound ("+81.44
 * pp [+81.03 pp, +81.86 pp]") written once ("[+81.03, +81.86]"), the full text kept for a title.
 * Every number stays; only a repeated unit goes. Pure.
 */
export interface IntervalParts {
  /** The estimate with its unit ("+81.44 pp"). */
  head: string;
  /** The bracketed bounds, the repeated unit dropped; null without bounds. */
  ci: string | null;
  /** The text as given. */
  full: string;
  /** True when `ci` dropped a unit (then `full` belongs in a title). */
  abbreviated: boolean;
}

const NUMBER = /^[−+-]?\d[\d.,]*$/;

export function intervalParts(text: string): IntervalParts {
  const at = text.indexOf(' [');
  if (at < 0 || !text.endsWith(']')) return { head: text, ci: null, full: text, abbreviated: false };
  const head = text.slice(0, at);
  const ci = text.slice(at + 1);
  const unit = /^\S+ (\S+)$/.exec(head)?.[1];
  if (unit && !NUMBER.test(unit)) {
    const bounds = ci.slice(1, -1).split(', ');
    const suffix = ` ${unit}`;
    if (bounds.length === 2 && bounds.every((b) => b.endsWith(suffix) && NUMBER.test(b.slice(0, -suffix.length)))) {
      return { head, ci: `[${bounds.map((b) => b.slice(0, -suffix.length)).join(', ')}]`, full: text, abbreviated: true };
    }
  }
  return { head, ci, full: text, abbreviated: false };
}
