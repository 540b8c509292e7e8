import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/app-config';

/**
 * Paths pino blanks out in every log line. Tokens and passwords, and the
 * personal fields of a child's record (quality.md, "Security": no PII in
 * logs). Request bodies are never logged; these catch objects that a
 * developer logs by hand.
 */
const PERSONAL_FIELDS = [
  'familyName',
  'givenName',
  'familyNameKana',
  'givenNameKana',
  'name',
  'displayName',
  'birthDate',
  'expectedDueDate',
  'address',
  'summary',
  'nextAction',
  'email',
  'phone',
  // Contact details (issue 13): a contact point's value and note, and whole lists of them.
  'contacts',
  'addresses',
  'value',
  'note',
];
const SECRET_FIELDS = ['password', 'currentPassword', 'newPassword', 'accessToken', 'refreshToken', 'token', 'secret'];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...[...SECRET_FIELDS, ...PERSONAL_FIELDS].flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

/** Query parameters can carry names (`q=`) or addresses: log their keys only. */
export function redactedUrl(url: string | undefined): string {
  if (!url) return '';
  const [path, query] = url.split('?', 2);
  if (!query) return path;
  const keys = new URLSearchParams(query);
  return `${path}?${[...keys.keys()].map((k) => `${k}=[redacted]`).join('&')}`;
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          redact: { paths: REDACT_PATHS, censor: '[redacted]' },
          transport: config.logPretty
            ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } }
            : undefined,
          // Fastify has already chosen the id (X-Request-Id or a new UUID) and
          // put it on the raw request; every line of this request carries it.
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id: string }).id,
          serializers: {
            req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
              id: req.id,
              method: req.method,
              url: redactedUrl(req.url),
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          customLogLevel: (_req: IncomingMessage, res: { statusCode: number }, err?: Error) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
