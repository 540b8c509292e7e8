import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsInstant, IsOmittable } from '../../core/http/validators';
import { ListQuery } from '../../core/http/pagination';

export class ListAuditEventsQuery extends ListQuery {
  @ApiPropertyOptional()
  @IsOmittable()
  @Matches(/^[a-z_]{1,40}$/, { message: 'entityType must be a lower_snake_case type' })
  entityType?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  entityId?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsUUID('4')
  actorId?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 with an offset' })
  @IsOmittable()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 with an offset (exclusive)' })
  @IsOmittable()
  @IsInstant()
  to?: string;
}
