import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as LocalStrategyBase } from 'passport-local';
import { ActorService } from '../access/actor.service';
import type { Actor } from '../access/policy';
import { AppConfig } from '../core/config/app-config';
import { originOf } from '../core/http/request-origin';
import { AuthService } from './auth.service';
import type { AccessTokenPayload } from './token.service';

/** passport-local: username and password in the body (POST /auth/login). */
@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ passReqToCallback: true });
  }

  validate(request: FastifyRequest, username: string, password: string) {
    return this.auth.login(username, password, originOf(request));
  }
}

/** passport-jwt: a Bearer access token; the user behind it is re-read on every request. */
@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly actors: ActorService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries it as a PEM public key on every
      // verification (createPublicKey, which throws for an HMAC secret) before making a secret key of it;
      // 28-33 µs of CPU per request instead of 7 (issue 16, measured in BENCHMARKS.md).
      // passport-jwt's types say string or Buffer; it hands the value to jsonwebtoken, which takes a KeyObject.
      secretOrKey: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      passReqToCallback: true,
    });
  }

  async validate(request: FastifyRequest, payload: AccessTokenPayload): Promise<Actor | false> {
    if (typeof payload?.sub !== 'string' || typeof payload.tv !== 'number') return false;
    return (await this.actors.load(payload.sub, payload.tv, originOf(request))) ?? false;
  }
}
