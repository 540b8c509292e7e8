import { Logger } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { RedisClient } from '../core/redis/redis.module';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Fixed-window counter in Redis, so a rate limit holds across several API
 * processes (issue: "Redis-backed throttler storage"). One atomic script:
 * count the hit, start the window, block when over the limit.
 */
const SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return { hits, ttl, blocked }`;

/**
 * While Redis is away the limit keeps holding, per process, in memory
 * (issue 11, item 7): failing closed would lock everyone out of login, and
 * failing open would drop the limit. The fallback is logged once per outage.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly memory = new ThrottlerStorageService();
  private inFallback = false;

  constructor(private readonly redis: RedisClient) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const record = await this.incrementInRedis(key, ttl, limit, blockDuration, throttlerName);
      if (this.inFallback) {
        this.inFallback = false;
        this.logger.log('Redis is back: rate limits are shared across processes again');
      }
      return record;
    } catch (error) {
      if (!this.inFallback) {
        this.inFallback = true;
        this.logger.warn(
          { err: { name: (error as Error)?.name, code: (error as { code?: string })?.code } },
          'Redis unavailable: rate limits fall back to this process memory',
        );
      }
      return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  private async incrementInRedis(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `throttle:${throttlerName}:${key}`;
    const [hits, ttlMs, blockedMs] = (await this.redis.eval(
      SCRIPT,
      2,
      `${base}:hits`,
      `${base}:blocked`,
      String(ttl),
      String(limit),
      String(blockDuration || ttl),
    )) as [number, number, number];
    return {
      totalHits: hits,
      timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
      isBlocked: blockedMs > 0,
      timeToBlockExpire: Math.max(0, Math.ceil(blockedMs / 1000)),
    };
  }
}
