/**
 * The headers every response of the UI's hosts carries (the desktop app's protocol and the web
 * server of `ablate serve`): its content type, the Content Security Policy, no MIME sniffing, no
 * caching (a rebuilt UI is picked up on reload), and no Referer (the web server's URL carries a
 * token). Pure.
 */
import { CONTENT_SECURITY_POLICY } from './csp.js';

export function pageHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
    'Referrer-Policy': 'no-referrer',
  };
}
