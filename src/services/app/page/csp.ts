/**
 * The renderer's Content Security Policy. The app protocol and the web server of `ablate serve`
 * send it as a header on every response (headers.ts); src/renderer/index.html repeats it in a
 * <meta> tag for the dev server and for scanners, minus `frame-ancestors`, which Chromium ignores
 * (with a console warning) in a meta tag.
 * Plotly renders scatter and scattergl without 'unsafe-eval'; it needs inline styles only.
 */

const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
] as const;

export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors ')).join('; ');
