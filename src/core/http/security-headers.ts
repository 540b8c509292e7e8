import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';

/**
 * Content-Security-Policy and HSTS (issue 12, part 5). helmet sets the other
 * headers (nosniff, frame options, referrer policy, ...); these two depend on
 * the request, so they are set here:
 *
 * - TLS: `upgrade-insecure-requests` and HSTS only when the request came
 *   over https (TLS=auto: the socket, or X-Forwarded-Proto from a proxy
 *   TRUST_PROXY trusts), or always/never (TLS=true/false). On a plain-http
 *   intranet host, upgrading every sub-resource to https blanks Swagger UI.
 * - Path: the API answers JSON, so its policy allows nothing at all;
 *   Swagger UI (/docs) and the queue dashboard need their own scripts and
 *   inline styles, and get a relaxed policy on those paths only. The web
 *   console's HTML route sets its own policy with a nonce, over this one
 *   (src/core/http/web-console.ts), and asks `servedOverTls` the same question.
 */
const API_POLICY = ["default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"];
const UI_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];
/** Paths of the HTML tools that run their own scripts: Swagger UI and its document, and the queue dashboard. */
const UI_PATHS = [/^\/docs(?:[/?-]|$)/, /^\/admin\/queues(?:[/?]|$)/];

const HSTS = 'max-age=31536000; includeSubDomains';

export function servedOverTls(request: Pick<FastifyRequest, 'protocol'>, config: Pick<AppConfig, 'TLS'>): boolean {
  if (config.TLS === 'auto') return request.protocol === 'https';
  return config.TLS === 'true';
}

export function contentSecurityPolicy(url: string, tls: boolean): string {
  const base = UI_PATHS.some((p) => p.test(url)) ? UI_POLICY : API_POLICY;
  return [...base, ...(tls ? ['upgrade-insecure-requests'] : [])].join('; ');
}

export function securityHeaders(
  request: Pick<FastifyRequest, 'protocol' | 'url'>,
  config: Pick<AppConfig, 'TLS'>,
): Record<string, string> {
  const tls = servedOverTls(request, config);
  return {
    'content-security-policy': contentSecurityPolicy(request.url, tls),
    ...(tls ? { 'strict-transport-security': HSTS } : {}),
  };
}
