import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError } from '../core/errors/domain-error';
import { fieldErrors } from '../core/http/validation';
import { LoginDto } from './dto/auth.dto';

/**
 * Runs passport-local for the login route. Guards run before pipes, so the
 * body is validated here first: malformed input is a 400 and never counts as
 * a login attempt.
 */
@Injectable()
export class LoginGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const body: unknown = context.switchToHttp().getRequest<{ body: unknown }>().body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw DomainError.validation([{ field: '', message: 'a JSON object with username and password is required' }]);
    }
    const errors = await validate(plainToInstance(LoginDto, body), { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw DomainError.validation(fieldErrors(errors));
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw new DomainError('unauthenticated', 'Wrong username or password');
    return user;
  }
}
