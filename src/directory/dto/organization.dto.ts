import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsInt, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { IsOmittable, NestedObject } from '../../core/http/validators';
import { ORGANIZATION_TYPES } from '../../codes/code-lists';
import { ListQuery } from '../../core/http/pagination';

export class ContactDto {
  @IsOmittable()
  @Matches(/^[0-9０-９+()\- ]{3,30}$/, { message: 'phone must be a phone number' })
  phone?: string;

  @IsOmittable()
  @Matches(/^[0-9０-９+()\- ]{3,30}$/, { message: 'fax must be a phone number' })
  fax?: string;

  @IsOmittable()
  @IsEmail()
  @MaxLength(200)
  email?: string;

  @IsOmittable()
  @IsString()
  @MaxLength(300)
  address?: string;

  /** The contact person (担当者) at the organization. */
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  person?: string;
}

export class CreateOrganizationDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @IsIn(['internal', 'external'])
  kind!: 'internal' | 'external';

  @IsIn(ORGANIZATION_TYPES, { message: `type must be one of: ${ORGANIZATION_TYPES.join(', ')}` })
  type!: string;

  @IsBoolean()
  councilMember!: boolean;

  @IsOmittable()
  @NestedObject(() => ContactDto)
  contact?: ContactDto;
}

export class UpdateOrganizationDto {
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @IsOmittable()
  @IsIn(['internal', 'external'])
  kind?: 'internal' | 'external';

  @IsOmittable()
  @IsIn(ORGANIZATION_TYPES, { message: `type must be one of: ${ORGANIZATION_TYPES.join(', ')}` })
  type?: string;

  @IsOmittable()
  @IsBoolean()
  councilMember?: boolean;

  @IsOmittable()
  @NestedObject(() => ContactDto)
  contact?: ContactDto;

  @IsOmittable()
  @IsBoolean()
  active?: boolean;

  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListOrganizationsQuery extends ListQuery {
  @ApiPropertyOptional({ enum: ['internal', 'external'] })
  @IsOmittable()
  @IsIn(['internal', 'external'])
  kind?: 'internal' | 'external';

  @ApiPropertyOptional()
  @IsOmittable()
  @IsIn(['true', 'false'])
  councilMember?: 'true' | 'false';

  /** Part of the name. */
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  q?: string;
}
