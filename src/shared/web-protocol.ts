/**
 * The web transport of `ablate serve`: the Api over one WebSocket per page. The page sends
 * `WebRequest`s, each carrying the server's token; the server answers each with the request's id
 * and a `Result`, and pushes `ApiEvent`s. The socket and the session endpoint live under /api/;
 * every other path is a file of the built UI. Plain JSON.
 */
import type { ApiEvent, Result } from './api.js';

/** The WebSocket endpoint (the token goes in its query too: `?token=`). */
export const WEB_SOCKET_PATH = '/api/socket';
/** Answers `{ token }` to a page that was loaded with the token (its cookie), for pages opened without it in the URL. */
export const WEB_SESSION_PATH = '/api/session';
/** The query parameter that carries the token in the printed URL and the socket URL. */
export const TOKEN_PARAM = 'token';
/** A header the page's own requests to WEB_SESSION_PATH carry: other origins cannot send it without a CORS preflight. */
export const SESSION_HEADER = 'x-ablate-session';

export interface WebRequest {
  id: number;
  token: string;
  method: string;
  args: unknown[];
}

export type WebReply = { id: number; result: Result<unknown> } | { event: ApiEvent };
