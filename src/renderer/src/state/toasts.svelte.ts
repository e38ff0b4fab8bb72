/** Short messages after an action ("Saved to ~/fig.svg", "Could not export: ..."), dismissed by time or by hand. */
export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

export class ToastState {
  items = $state<Toast[]>([]);
  #next = 1;

  push(kind: Toast['kind'], text: string, ms = kind === 'error' ? 8000 : 4000): void {
    const id = this.#next++;
    this.items.push({ id, kind, text });
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    const i = this.items.findIndex((t) => t.id === id);
    if (i >= 0) this.items.splice(i, 1);
  }

  /** Reports a Result-style failure in words; returns whether the call succeeded. */
  check<T>(result: { ok: true; value: T } | { ok: false; error: string }, what: string): result is { ok: true; value: T } {
    if (!result.ok) this.push('error', `${what}: ${result.error}`);
    return result.ok;
  }
}
