/**
 * What every design field shares: it registers its spec path (so errors at that path appear under
 * it, not in the card's list), and reads its errors. Call during component initialisation, with the component's `$props.id()`.
 */
import type { FieldError } from '../../../../../shared/api';
import { useApp } from '../../../state/context';
import type { DesignState } from '../../../state/design.svelte';

export function useField(path: () => string, uid: string): { design: DesignState; readonly errors: FieldError[]; readonly id: string } {
  const design = useApp().design;
  const id = `f-${uid}`;
  $effect(() => design.register(path()));
  const errors = $derived(design.errorsFor(path()));
  return {
    design,
    get errors() {
      return errors;
    },
    id,
  };
}

/** "Dropout" + "must be at least 0 and below 1" -> "Dropout must be at least 0 and below 1". */
export function errorText(label: string, message: string): string {
  if (
    /^[a-z]/.test(message) &&
    (message.startsWith('must') || message.startsWith('is ') || message.startsWith('needs') || message.startsWith('a '))
  ) {
    return `${label} ${message}`;
  }
  return message.length > 0 ? message[0].toUpperCase() + message.slice(1) : message;
}
