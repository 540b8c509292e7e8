import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '../audit/audit.module';
import { AppConfig } from '../core/config/app-config';
import { RedisClient } from '../core/redis/redis.module';
import { DirectoryModule } from '../directory/directory.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { FirstAdmin } from './first-admin';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { JwtStrategy, LocalStrategy } from './strategies';
import { TokenService } from './token.service';

@Module({
  imports: [
    AuditModule,
    DirectoryModule,
    PassportModule,
    JwtModule.registerAsync({
      global: true,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.JWT_SECRET,
        signOptions: { algorithm: 'HS256', issuer: 'tsunagu' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'tsunagu' },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, RedisClient],
      useFactory: (config: AppConfig, redis: RedisClient) => ({
        throttlers: [{ name: 'login', ttl: 60_000, limit: config.LOGIN_RATE_LIMIT_PER_MINUTE }],
        storage: new RedisThrottlerStorage(redis),
        errorMessage: 'Too many login attempts; wait a minute',
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, TokenService, LocalStrategy, JwtStrategy, FirstAdmin],
  exports: [TokenService],
})
export class AuthModule {}
