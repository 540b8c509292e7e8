import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ORGANIZATION_TYPES } from '../code-lists';
import { ListQuery } from '../../core/http/pagination';

export class ContactDto {
  @IsOptional()
  @Matches(/^[0-9０-９+()\- ]{3,30}$/, { message: 'phone must be a phone number' })
  phone?: string;

  @IsOptional()
  @Matches(/^[0-9０-９+()\- ]{3,30}$/, { message: 'fax must be a phone number' })
  fax?: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  /** The contact person (担当者) at the organization. */
  @IsOptional()
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

  @IsOptional()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;
}

export class UpdateOrganizationDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsIn(['internal', 'external'])
  kind?: 'internal' | 'external';

  @IsOptional()
  @IsIn(ORGANIZATION_TYPES, { message: `type must be one of: ${ORGANIZATION_TYPES.join(', ')}` })
  type?: string;

  @IsOptional()
  @IsBoolean()
  councilMember?: boolean;

  @IsOptional()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListOrganizationsQuery extends ListQuery {
  @ApiPropertyOptional({ enum: ['internal', 'external'] })
  @IsOptional()
  @IsIn(['internal', 'external'])
  kind?: 'internal' | 'external';

  @ApiPropertyOptional()
  @IsOptional()
  @IsIn(['true', 'false'])
  councilMember?: 'true' | 'false';

  /** Part of the name. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
