import helmet from '@fastify/helmet';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NestFastifyApplication, FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics.service';
import { ProblemFilter, sendProblem, toProblem } from '../errors/problem.filter';
import { checkEdgeInput } from './edge-input';
import { completeDocument } from './openapi';
import { securityHeaders } from './security-headers';
import { validationPipe } from './validation';
import { ETagInterceptor } from './versioning';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The Fastify adapter: 1 MiB bodies (413 beyond), and a request id taken
 * from X-Request-Id when it is sane, or a new UUID, put on the raw request so
 * that the logger and the audit log see the same id.
 */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const header = req.headers['x-request-id'];
      const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
      (req as IncomingMessage & { id: string }).id = id;
      return id;
    },
    // Leave logging to nestjs-pino.
    logger: false,
    // The router's own refusals (a broken %-escape, an over-long path
    // segment) answer as problem+json like every other error, without
    // echoing the URL or Fastify's internal codes.
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => {
      void sendProblem(reply, toProblem(error));
    },
  });
}

/** Everything about HTTP behaviour that is not a domain: api.md, "Conventions". */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    // Answers carry case data and tokens: no browser or proxy may keep them.
    void reply.header('cache-control', 'no-store');
  });
  // Count and time every answer by its route's pattern (`/api/v1/cases/:id`): ids would make a series per record.
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  // Before any guard (login's included), pipe or query sees the input.
  fastify.addHook('preValidation', async (request) => {
    checkEdgeInput({ body: request.body, query: request.query, params: request.params });
  });

  // The CSP and HSTS depend on the path and on TLS: set per request below (security-headers.ts).
  await app.register(helmet, { contentSecurityPolicy: false, strictTransportSecurity: false });
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.headers(securityHeaders(request, config));
  });
  // CORS is closed unless the operator names the origins.
  app.enableCors({
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    credentials: false,
    exposedHeaders: ['X-Request-Id', 'ETag'],
  });

  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalInterceptors(new ETagInterceptor());
  // process.exit after the hooks (not a re-raised signal), so 'exit' listeners run: the local start's PostgreSQL and
  // Redis children stop with us, and the logger flushes its last line.
  app.enableShutdownHooks([], { useProcessExit: true });

  if (config.API_DOCS) mountApiDocs(app);
}

/** Swagger UI at /docs and the document at /docs-json (API_DOCS=false leaves both out). */
function mountApiDocs(app: NestFastifyApplication): void {
  const document = completeDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Tsunagu API')
        .setDescription("Case management for a children's comprehensive consultation center (api.md)")
        .setVersion('1')
        .addServer('/')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', raw: ['json'] });
}
