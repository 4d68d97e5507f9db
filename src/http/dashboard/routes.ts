import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';
import { VERSION } from '../../version.js';
import { dashboardData } from './data.js';

const require = createRequire(import.meta.url);
/** Read once: the page, its script, and uPlot from its npm package, all served from here (nothing from outside). */
const assets = {
  page: readFileSync(new URL('./page.html', import.meta.url)),
  app: readFileSync(new URL('./app.js', import.meta.url)),
  uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js')),
  uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css')),
};

/** The browser may load and connect to this origin only, whatever a page or a script tried. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** GET /dashboard and what it loads: the page, its script, uPlot, and the JSON it polls. */
export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  const hide = { schema: { hide: true } };
  const send = (type: string, body: Buffer) => async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply.type(type).header('content-security-policy', CONTENT_SECURITY_POLICY).header('cache-control', 'no-cache').send(body);
  app.get('/dashboard', hide, send('text/html; charset=utf-8', assets.page));
  app.get('/dashboard/app.js', hide, send('text/javascript; charset=utf-8', assets.app));
  app.get('/dashboard/uplot.js', hide, send('text/javascript; charset=utf-8', assets.uplotJs));
  app.get('/dashboard/uplot.css', hide, send('text/css; charset=utf-8', assets.uplotCss));
  app.get('/dashboard/data', hide, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return dashboardData(app.remembr, VERSION);
  });
};
