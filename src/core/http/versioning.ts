import { CallHandler, createParamDecorator, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { DomainError } from '../errors/domain-error';

/**
 * The version a PATCH was based on (api.md, "Concurrency"): `If-Match: "3"`
 * (a weak `W/"3"` too) or `version` in the body. Neither is a 428.
 */
export function expectedVersion(ifMatch: string | undefined, bodyVersion: unknown): number {
  if (ifMatch !== undefined) {
    const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
    if (!match) throw DomainError.validation([{ field: 'If-Match', message: 'must be the record version, like "3"' }]);
    return Number(match[1]);
  }
  if (typeof bodyVersion === 'number' && Number.isInteger(bodyVersion) && bodyVersion > 0) return bodyVersion;
  throw new DomainError('precondition_required', 'Send If-Match with the version you edited (or version in the body)');
}

/** The raw If-Match header, for `expectedVersion`. */
export const IfMatch = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const header = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['if-match'];
  return header;
});

export function versionConflict(current: number): DomainError {
  return new DomainError('version_conflict', 'The record was changed by someone else; reload it and try again', {
    currentVersion: current,
  });
}

/**
 * A versioned record's answer carries its version as an ETag (`"3"`), the
 * value a client sends back in If-Match. Any JSON answer that is one record
 * with an integer `version` qualifies, so no handler has to remember it.
 */
@Injectable()
export class ETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        if (Number.isInteger(version) && !Array.isArray(body)) {
          void context
            .switchToHttp()
            .getResponse<FastifyReply>()
            .header('etag', `"${String(version)}"`);
        }
        return body;
      }),
    );
  }
}
