/**
 * Which links may leave the app for the system browser. The app never navigates or opens windows
 * itself; a link it is asked to open goes to `shell.openExternal` only if it passes this check,
 * and everything else is dropped. Pure (no Electron) so it can be tested.
 */

/** Hosts the UI links to (docs, source, file formats). Add a host here when the UI gains a link. */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['github.com', 'onnx.ai', 'onnxruntime.ai'];

export function isVettedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    EXTERNAL_LINK_HOSTS.includes(parsed.hostname)
  );
}
