/**
 * The page's Api when it was served by `ablate serve` (no preload installed `window.api`): the web
 * transport of src/shared/web-client.ts over a WebSocket to the page's own origin. The token comes
 * from the URL the server printed (then leaves the address bar, kept for this tab in
 * sessionStorage), or, for a tab opened without it, from the server's session endpoint, which
 * answers pages that carry the cookie the first tokened load set.
 */
import type { Api } from '../../../shared/api';
import { createWebApi } from '../../../shared/web-client';
import { SESSION_HEADER, TOKEN_PARAM, WEB_SESSION_PATH, WEB_SOCKET_PATH } from '../../../shared/web-protocol';

const STORAGE_KEY = 'ablate-token';

export async function connectWebApi(): Promise<Api> {
  const token = await pageToken();
  const url = new URL(WEB_SOCKET_PATH, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = new URLSearchParams({ [TOKEN_PARAM]: token }).toString();
  return createWebApi(new WebSocket(url), token);
}

async function pageToken(): Promise<string> {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get(TOKEN_PARAM);
  if (fromUrl) {
    sessionStorage.setItem(STORAGE_KEY, fromUrl);
    params.delete(TOKEN_PARAM);
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return fromUrl;
  }
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (stored) return stored;
  const response = await fetch(WEB_SESSION_PATH, { headers: { [SESSION_HEADER]: '1' }, credentials: 'same-origin' });
  if (!response.ok) throw new Error('this page was opened without its token: open the URL ablate serve printed');
  return ((await response.json()) as { token: string }).token;
}
