import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MIN_PASSWORD_LENGTH } from '../../directory/passwords';
import { Profile } from '../../directory/users.service';
import type { TokenPair } from '../token.service';

export class LoginDto {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  username!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;

  /**
   * `cookie`: the web console's session. The refresh token is set as an
   * HttpOnly cookie for the auth routes and left out of the body (issue 17).
   */
  @ApiPropertyOptional({ enum: ['cookie'] })
  @IsOptional()
  @IsIn(['cookie'])
  session?: 'cookie';
}

export class RefreshDto {
  /** Absent: the console's session cookie is used instead (then the Origin must be this site). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  refreshToken?: string;
}

export class ChangePasswordDto {
  @IsString()
  @MaxLength(200)
  currentPassword!: string;

  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `newPassword must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200)
  newPassword!: string;
}

/** POST /auth/refresh: a new pair; for the console (cookie session) the refresh token goes in the cookie only. */
export class SessionTokens implements Omit<TokenPair, 'refreshToken'> {
  @ApiProperty({ description: 'Bearer token for the Authorization header' }) accessToken!: string;
  @ApiPropertyOptional({
    description: 'One use: POST /auth/refresh answers a new pair. Absent for a cookie session (the web console)',
  })
  refreshToken?: string;
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn!: number;
}

/** POST /auth/login: the token pair and who logged in. */
export class LoginResult extends SessionTokens {
  @ApiProperty({ type: Profile }) user!: Profile;
}
