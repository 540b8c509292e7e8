import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/app-config';
import { LifecycleLog } from './lifecycle-log';

/**
 * Paths pino blanks out in every log line. Tokens and passwords, and the
 * personal fields of a child's record (quality.md, "Security": no PII in
 * logs). Request bodies are never logged; these catch objects that a
 * developer logs by hand. Only names that are personal wherever they occur
 * go here: a generic one (`name` would blank `err.name` in every error line;
 * district and organization names are not personal) goes in
 * PERSONAL_PATHS under the objects where it is personal.
 */
const PERSONAL_FIELDS = [
  'familyName',
  'givenName',
  'familyNameKana',
  'givenNameKana',
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
];
/** Generic names, personal only in a contact point (issue 13): its value and note, however deep it is logged. */
const PERSONAL_PATHS = ['value', 'note'].flatMap((f) => [f, `contact.${f}`, `*.contact.${f}`, `*.*.contact.${f}`]);
const SECRET_FIELDS = ['password', 'currentPassword', 'newPassword', 'accessToken', 'refreshToken', 'token', 'secret'];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...[...SECRET_FIELDS, ...PERSONAL_FIELDS].flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
  ...PERSONAL_PATHS,
];

/**
 * pino-pretty is a development dependency: the production image has none.
 * LOG_PRETTY=true there falls back to JSON lines, with a warning, rather than
 * stopping the process.
 */
function prettyLogs(config: AppConfig): boolean {
  if (!config.logPretty) return false;
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    console.error('LOG_PRETTY: pino-pretty is not installed (a production install); logging JSON lines');
    return false;
  }
}

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
          transport: prettyLogs(config)
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
  providers: [LifecycleLog],
  exports: [LifecycleLog],
})
export class LoggingModule {}
