import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MesApp } from './app.js';

/** Paths that belong to the API and the operations endpoints: never answered with the console. */
const API_PATHS = /^\/(v1(\/|$)|openapi\.json$|healthz$|readyz$|metrics$)/;
/** Where index.html asks for the nonce antd's runtime styles carry. */
const NONCE_PLACEHOLDER = /__CSP_NONCE__/g;
/** Vite names every built asset after its content hash: safe to cache for a year. */
const HASHED_ASSETS = /^\/assets\//;

export interface WebConsole {
  /** Answers a GET for a console route (a deep link) with index.html; false when it is not one. */
  serveDeepLink(req: FastifyRequest, reply: FastifyReply): boolean;
}

/**
 * The web console (the built `web/` package) at `/`: hashed assets cached for a year, index.html
 * never cached and sent with a Content-Security-Policy that allows only this origin (styles also
 * by a per-response nonce, which antd's runtime style sheets carry). Deep links to console routes
 * (`/stock/balances?warehouse=…`) load index.html, so a bookmark or a reload lands on its page;
 * unknown API paths keep answering problem+json.
 */
export async function registerWebConsole(app: MesApp, webDir: string): Promise<WebConsole> {
  const indexFile = path.join(webDir, 'index.html');
  if (!existsSync(indexFile)) {
    throw new Error(`the web console is not built: ${indexFile} is missing (run npm run build, or unset MES_WEB_DIR)`);
  }
  const template = readFileSync(indexFile, 'utf8');
  await app.register(async (scope) => {
    // Static files need no credentials: the console logs in through the API once it has loaded.
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), public: true } as typeof route.config;
    });
    await scope.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      index: false,
      wildcard: false,
      globIgnore: ['index.html'],
      cacheControl: false,
      setHeaders: (res, file) => {
        const rel = `/${path.relative(webDir, file).split(path.sep).join('/')}`;
        res.setHeader('cache-control', HASHED_ASSETS.test(rel) ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.setHeader('x-content-type-options', 'nosniff');
      },
    });
    scope.get('/', { schema: { hide: true } }, async (_req, reply) => sendIndex(reply, template));
  });
  return {
    serveDeepLink(req, reply) {
      const url = req.url.split('?')[0];
      const wantsHtml = (req.headers.accept ?? '').includes('text/html');
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !wantsHtml || API_PATHS.test(url) || HASHED_ASSETS.test(url)) return false;
      void sendIndex(reply, template);
      return true;
    },
  };
}

function sendIndex(reply: FastifyReply, template: string): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  return reply
    .code(200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-cache, no-store, must-revalidate')
    .header('content-security-policy', contentSecurityPolicy(nonce))
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY')
    .send(template.replace(NONCE_PLACEHOLDER, nonce));
}

/** Only this origin: scripts, connections, images (blob: for label previews drawn from API bytes), fonts. */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Style elements only with this response's nonce (antd's sheets carry it; web/src/app/csp.ts
    // gives it to the few its helpers insert). Style attributes set from script are CSSOM, not inline.
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
