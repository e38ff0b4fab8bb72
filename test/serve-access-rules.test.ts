/**
 * The access rules of `ablate serve` (src/services/app/web/access.ts) on the header forms a browser
 * or an attacker can send: Host names with ports and IPv6 brackets, loopback look-alikes, cookies
 * among others, tokens that differ in one character or in length. The served behaviour is checked
 * end to end in test/e2e/serve-access.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { checkAccess, cookieValue, hostName, isLoopbackName, newToken, sameToken } from '../src/services/app/web/access.js';

describe('serve access rules', () => {
  const token = newToken();
  const rules = { token, port: 6150, remote: false };

  it('makes long random tokens and compares them exactly', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newToken()).not.toBe(token);
    expect(sameToken(token, token)).toBe(true);
    expect(sameToken(`${token}x`, token)).toBe(false);
    expect(sameToken(`${token.slice(0, -1)}${token.at(-1) === 'a' ? 'b' : 'a'}`, token)).toBe(false);
    expect(sameToken('', token)).toBe(false);
    expect(sameToken(null, token)).toBe(false);
  });

  it('reads host names from Host headers, and knows loopback names from look-alikes', () => {
    expect(hostName('127.0.0.1:6150')).toBe('127.0.0.1');
    expect(hostName('[::1]:6150')).toBe('::1');
    expect(hostName('LocalHost:6150')).toBe('localhost');
    for (const n of ['localhost', '127.0.0.1', '127.1.2.3', '::1']) expect(isLoopbackName(n), n).toBe(true);
    for (const n of ['localhost.evil.example', '127.0.0.1.evil.example', '127.0.0.256', '0.0.0.0', '10.0.0.1', 'example.com', '']) {
      expect(isLoopbackName(n), n).toBe(false);
    }
  });

  it('finds its cookie among others', () => {
    expect(cookieValue(`a=1; ablate-token-6150=${token}; b=2`, 'ablate-token-6150')).toBe(token);
    expect(cookieValue(`ablate-token-6151=${token}`, 'ablate-token-6150')).toBeNull();
    expect(cookieValue(undefined, 'ablate-token-6150')).toBeNull();
  });

  it('lets in the token from the query or the cookie, from this computer and its own origin only', () => {
    const host = '127.0.0.1:6150';
    expect(checkAccess(rules, `/?token=${token}`, { host })).toEqual({ ok: true, tokenFromQuery: true });
    expect(checkAccess(rules, '/', { host, cookie: `ablate-token-6150=${token}` })).toEqual({ ok: true, tokenFromQuery: false });
    expect(checkAccess(rules, '/', { host })).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess(rules, `/?token=${token}`, { host: 'evil.example:6150' })).toMatchObject({ ok: false });
    expect(checkAccess(rules, `/?token=${token}`, { host, origin: 'http://evil.example' })).toMatchObject({ ok: false });
    expect(checkAccess(rules, `/?token=${token}`, { host, origin: `http://${host}` })).toMatchObject({ ok: true });
    expect(checkAccess(rules, `/?token=${token}`, { host }, true)).toMatchObject({ ok: false }); // a socket needs an Origin
  });

  it('with --allow-remote, accepts any Host but still needs the token and a matching Origin', () => {
    const remote = { ...rules, remote: true };
    expect(checkAccess(remote, `/?token=${token}`, { host: 'cluster.example:6150' })).toMatchObject({ ok: true });
    expect(checkAccess(remote, '/', { host: 'cluster.example:6150' })).toMatchObject({ ok: false });
    expect(checkAccess(remote, `/?token=${token}`, { host: 'cluster.example:6150', origin: 'http://evil.example' })).toMatchObject({
      ok: false,
    });
  });
});
