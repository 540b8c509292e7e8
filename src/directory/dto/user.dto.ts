import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsNullable, IsOmittable } from '../../core/http/validators';
import { ROLES, type Role } from '../../access/roles';
import { MIN_PASSWORD_LENGTH } from '../passwords';
import { ListQuery } from '../../core/http/pagination';

export class CreateUserDto {
  @Matches(/^[a-z0-9._-]{3,40}$/, { message: 'username must be 3-40 of a-z, 0-9, . _ -' })
  username!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName!: string;

  @IsOmittable()
  @IsEmail()
  @MaxLength(200)
  email?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: `each role must be one of: ${ROLES.join(', ')}` })
  roles!: Role[];

  /** The initial password; a one-time password is generated when omitted. Must be changed at first login either way. */
  @IsOmittable()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200)
  password?: string;
}

export class UpdateUserDto {
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName?: string;

  @IsNullable()
  @IsEmail()
  @MaxLength(200)
  email?: string | null;

  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: `each role must be one of: ${ROLES.join(', ')}` })
  roles?: Role[];

  /** Alternative to If-Match. */
  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListUsersQuery extends ListQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}
