import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import { Public } from '../http/public';
import { Metrics } from './metrics.service';

/**
 * Prometheus scrape endpoint, outside /api/v1 and outside the OpenAPI
 * document (it is for the operator's Prometheus, not for clients). No user
 * login: the scraper sends `Authorization: Bearer <METRICS_TOKEN>`; without
 * a configured token the endpoint does not exist.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply) {
    const token = this.config.METRICS_TOKEN;
    if (!token) throw DomainError.notFound('Cannot GET /metrics');
    if (!matches(authorization, `Bearer ${token}`)) {
      throw new DomainError('unauthenticated', 'Send Authorization: Bearer <METRICS_TOKEN>');
    }
    const { contentType, body } = await this.metrics.text();
    await reply.header('Content-Type', contentType).header('Cache-Control', 'no-store').send(body);
  }
}

/** Constant-time comparison, so the answer's timing does not tell how much of a guess was right. */
function matches(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
