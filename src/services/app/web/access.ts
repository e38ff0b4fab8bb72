/**
 * Who may use the web server of `ablate serve`, decided per request from its headers (pure, so the
 * tests attack it directly):
 * - the token: a random secret printed in the URL (Jupyter style), accepted from the URL's query or
 *   from the cookie the first tokened page load sets (so reloads and new tabs work), compared in
 *   constant time;
 * - the Host header: on a loopback address only loopback names, so a web page whose domain was
 *   rebound to 127.0.0.1 (DNS rebinding) is refused before its token guess is even looked at;
 * - the Origin header: when a request carries one it must be the page's own; the WebSocket must
 *   carry one.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { TOKEN_PARAM } from '../../../shared/web-protocol.js';

/** 32 URL-safe characters: 192 random bits. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sameToken(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Cookies ignore ports: one name per port keeps two servers on one host apart. */
export function cookieName(port: number): string {
  return `ablate-token-${port}`;
}

/** The Set-Cookie value for the token: not readable by scripts, never sent by other sites. */
export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export interface AccessRules {
  token: string;
  port: number;
  /** Whether the server was started with --allow-remote (any Host header is accepted then). */
  remote: boolean;
}

export interface RequestHeaders {
  host?: string;
  origin?: string;
  cookie?: string;
}

export type Access = { ok: true; tokenFromQuery: boolean } | { ok: false; status: 403; reason: string };

/**
 * Whether a request for `url` (path and query as sent) with these headers may proceed.
 * `needsOrigin`: the WebSocket upgrade, which browsers always send with an Origin.
 */
export function checkAccess(rules: AccessRules, url: string, headers: RequestHeaders, needsOrigin = false): Access {
  const host = headers.host ?? '';
  if (!rules.remote && !isLoopbackName(hostName(host))) {
    return deny(`the Host "${host.slice(0, 100)}" is not this computer; open the URL ablate serve printed`);
  }
  if (headers.origin !== undefined || needsOrigin) {
    if (headers.origin !== `http://${host}`) return deny('this request came from another site');
  }
  const query = new URL(url, 'http://ablate.invalid').searchParams.get(TOKEN_PARAM);
  if (sameToken(query, rules.token)) return { ok: true, tokenFromQuery: true };
  if (sameToken(cookieValue(headers.cookie, cookieName(rules.port)), rules.token)) return { ok: true, tokenFromQuery: false };
  return deny('open the URL ablate serve printed, with its token (…/?token=…); the token changes every time ablate serve starts');
}

function deny(reason: string): Access {
  return { ok: false, status: 403, reason };
}

/** The host name of a Host header (`[::1]:6150` -> `::1`, `localhost:6150` -> `localhost`). */
export function hostName(hostHeader: string): string {
  const m = /^\[([^\]]*)\](?::\d*)?$/.exec(hostHeader);
  if (m) return m[1];
  return hostHeader.replace(/:\d*$/, '').toLowerCase();
}

/** localhost, 127.0.0.0/8 and ::1: names that cannot lead to another computer. */
export function isLoopbackName(name: string): boolean {
  const n = name.toLowerCase();
  if (n === 'localhost' || n === '::1' || n === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(n);
  return m !== null && m.slice(1).every((x) => Number(x) <= 255);
}
