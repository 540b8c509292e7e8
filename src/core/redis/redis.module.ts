import { Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';

/** One ioredis client for the service's own keys (rate limits, health). */
@Injectable()
export class RedisClient extends Redis implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(AppConfig) config: AppConfig) {
    super(config.REDIS_URL, {
      keyPrefix: `${config.REDIS_PREFIX}:`,
      // Commands fail fast while Redis is away (503), instead of queueing for ever.
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: false,
    });
    // ioredis reconnects by itself; without a listener an outage would crash us.
    this.on('error', () => undefined);
  }

  /** Wait briefly for the first connection; if Redis is down, boot anyway and report it not ready. */
  async onModuleInit(): Promise<void> {
    if (this.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3_000);
      this.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.quit().catch(() => this.disconnect());
  }
}

@Global()
@Module({ providers: [RedisClient], exports: [RedisClient] })
export class RedisModule {}
