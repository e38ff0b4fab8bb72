/**
 * Saving where the host has no save dialog (AppInfo.nativeDialogs false: `ablate serve`): the
 * browser downloads the file instead, so figures, metrics and experiment files land on the
 * user's own computer. Wraps an Api so every caller of `saveFile` keeps working unchanged.
 */
import { API_METHODS, type Api, type ApiArgs, type ApiValue, type Result } from '../../../shared/api';

export function withBrowserDownloads(api: Api, nativeDialogs: () => boolean | undefined): Api {
  const methods = Object.fromEntries(
    API_METHODS.map((m) => [m, (...args: unknown[]) => (api[m] as (...a: unknown[]) => unknown)(...args)]),
  );
  return {
    ...(methods as Omit<Api, 'onEvent'>),
    saveFile: async (...args: ApiArgs<'saveFile'>) => (nativeDialogs() === false ? download(...args) : api.saveFile(...args)),
    onEvent: (listener) => api.onEvent(listener),
  };
}

function download(name: string, content: string, encoding: 'utf8' | 'base64'): Result<ApiValue<'saveFile'>> {
  const body = encoding === 'base64' ? Uint8Array.from(atob(content), (c) => c.charCodeAt(0)) : content;
  const url = URL.createObjectURL(new Blob([body], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by then; the URL only keeps the bytes alive.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { ok: true, value: { path: `${name}, in the browser's downloads` } };
}
