import fastifyStatic from '@fastify/static';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The web console (issue 17), served by the API process: the built files of
 * `web/` (Vite writes them to `web/dist`). Hashed files under `/assets/` are
 * cached for good; any other GET that asks for HTML gets `index.html`, never
 * cached, with a strict CSP carrying a fresh nonce (the console's routes live
 * in the browser, so a deep link reloaded lands here too).
 */

/** Paths the console never answers: the API, its docs, health, metrics and the queue board keep their own 404s. */
const NOT_THE_CONSOLE = /^\/(api|docs|docs-json|health|metrics|admin)(\/|$|\?)/;

/** What `vite build` writes into index.html where the per-request nonce goes (web/vite.config.ts: html.cspNonce). */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';
const IDLE_PLACEHOLDER = '__IDLE_MINUTES__';

/** The repository root: the first folder upwards with a package.json (src/ under test, dist/src/ when built). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function webConsoleDir(): string {
  return join(repositoryRoot(), 'web', 'dist');
}

/**
 * The console page's policy: scripts and styles only from this site or with
 * this answer's nonce (Mantine puts its <style> tags under the nonce; React
 * sets style attributes through the CSSOM, which CSP allows); no plugins, no
 * framing, no foreign connections.
 */
export function consolePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function asksForHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html');
}

export interface WebConsoleOptions {
  /** CONSOLE_IDLE_MINUTES, written into the page for the console's idle timeout. */
  idleMinutes: number;
  dir?: string;
}

export async function mountWebConsole(fastify: FastifyInstance, options: WebConsoleOptions): Promise<void> {
  const dir = options.dir ?? webConsoleDir();
  const assets = join(dir, 'assets');
  if (existsSync(assets)) {
    await fastify.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      // Vite names every file by its content's hash: a changed file is a new name.
      cacheControl: true,
      maxAge: '365d',
      immutable: true,
    });
  }

  let page: string | null = null;
  const indexHtml = (): string | null => {
    if (page === null && existsSync(join(dir, 'index.html'))) {
      page = readFileSync(join(dir, 'index.html'), 'utf8').replaceAll(IDLE_PLACEHOLDER, String(options.idleMinutes));
    }
    return page;
  };

  fastify.get('/*', (request: FastifyRequest, reply: FastifyReply) => {
    if (NOT_THE_CONSOLE.test(request.url) || request.url.startsWith('/assets/') || !asksForHtml(request)) {
      return reply.callNotFound();
    }
    const html = indexHtml();
    if (html === null) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web console is not built: run `npm run web:build` (npm start builds it).');
    }
    const nonce = randomBytes(18).toString('base64');
    return reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', consolePolicy(nonce))
      .type('text/html; charset=utf-8')
      .send(html.replaceAll(NONCE_PLACEHOLDER, nonce));
  });
}
