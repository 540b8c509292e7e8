import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsOmittable } from '../../core/http/validators';

export class CreateDistrictDto {
  @Matches(/^[a-z0-9_]{1,40}$/, { message: 'code must be 1-40 of a-z, 0-9, _' })
  code!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  /** Town names (町名) or postal codes. */
  @IsArray()
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  areas!: string[];
}

export class UpdateDistrictDto {
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  areas?: string[];

  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class AddMemberDto {
  @IsUUID('4')
  userId!: string;

  @IsIn(['member', 'lead'])
  role!: 'member' | 'lead';
}

export class AddSupervisorDto {
  @IsUUID('4')
  userId!: string;
}

export class ResolveDistrictQuery {
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  address!: string;
}

export class MembershipHistoryQuery {
  /** Include memberships that have ended. */
  @ApiPropertyOptional()
  @IsOmittable()
  @IsIn(['true', 'false'])
  history?: 'true' | 'false';
}
