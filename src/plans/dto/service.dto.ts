import { ApiProperty } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  SERVICE_MEASURES,
  SERVICE_USE_STATUSES,
  type ServiceMeasure,
  type ServiceUseStatus,
} from '../../codes/code-lists';
import { UserRef } from '../../directory/user-ref';
import { IsCalendarDate, IsOmittable, NestedObject, NotInTheFuture, oneOf } from '../../core/http/validators';

export class LabelDto {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  ja!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  en!: string;
}

/** A service the city adds to its list. */
export class CreateServiceDto {
  /** Stable lower_snake_case code, never changed once made. */
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'code must be 2-40 of a-z, 0-9 and _, starting with a letter' })
  code!: string;

  @NestedObject(() => LabelDto)
  label!: LabelDto;

  /** What a use is measured in beyond being counted (`serviceMeasures`); fixed once made. */
  @IsIn(SERVICE_MEASURES, oneOf(SERVICE_MEASURES, 'measure'))
  measure!: ServiceMeasure;
}

/** Relabel a service, or stop offering it (its past uses still count). */
export class UpdateServiceDto {
  @IsOmittable()
  @NestedObject(() => LabelDto)
  label?: LabelDto;

  @IsOmittable()
  @IsBoolean()
  active?: boolean;

  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ServiceLabel {
  @ApiProperty()
  ja!: string;
  @ApiProperty()
  en!: string;
}

/** One service of the center's list (a code list kept as data). */
export class ServiceView {
  @ApiProperty()
  code!: string;
  @ApiProperty({ type: ServiceLabel })
  label!: ServiceLabel;
  @ApiProperty({ enum: SERVICE_MEASURES })
  measure!: ServiceMeasure;
  /** Inactive services are no longer planned or recorded; their past uses still count. */
  @ApiProperty()
  active!: boolean;
  @ApiProperty()
  version!: number;
}

export class ServiceList {
  @ApiProperty({ type: [ServiceView] })
  items!: ServiceView[];
}

/** A delivered use of a service (planned ones are on the support plan). */
export class RecordServiceUseDto {
  /** A code of `GET /services`, active. */
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'serviceCode must be a service code' })
  serviceCode!: string;

  /** The day the use began; not in the future (a future use is planned on the plan, not recorded). */
  @IsCalendarDate()
  @NotInTheFuture()
  startDate!: string;

  /** The last day, for stays and multi-day uses; defaults to startDate. */
  @IsOmittable()
  @IsCalendarDate()
  endDate?: string;

  /** Required for services measured in nights, refused for the others. */
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(366)
  nights?: number;

  /** Required for services measured in hours (to the half hour), refused for the others. */
  @IsOmittable()
  @IsNumber({ maxDecimalPlaces: 1, allowNaN: false, allowInfinity: false })
  @Min(0.5)
  @Max(744)
  hours?: number;

  /** People served in this use (the child, siblings, the parent in a class); default 1. */
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(20)
  persons?: number;

  /** The organization that provided it; left out when the center itself did. */
  @IsOmittable()
  @IsUUID('4')
  providerOrganizationId?: string;

  @IsOmittable()
  @IsString()
  @MaxLength(2_000)
  note?: string;
}

export class CancelServiceUseDto {
  /** Why the record is withdrawn (entered by mistake, did not happen). */
  @IsString()
  @MinLength(1)
  @MaxLength(2_000)
  reason!: string;
}

export class ServiceUseView {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: string;
  @ApiProperty({ type: String, format: 'uuid' })
  caseId!: string;
  @ApiProperty()
  serviceCode!: string;
  /** The support plan in force when the use was recorded. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  planId!: string | null;
  @ApiProperty({ format: 'date' })
  startDate!: string;
  @ApiProperty({ format: 'date' })
  endDate!: string;
  @ApiProperty({ type: Number, nullable: true })
  nights!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  hours!: number | null;
  @ApiProperty()
  persons!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  providerOrganizationId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
  @ApiProperty({ enum: SERVICE_USE_STATUSES })
  status!: ServiceUseStatus;
  @ApiProperty({ type: String, format: 'uuid' })
  recordedBy!: string;
  @ApiProperty({ type: UserRef, description: '`recordedBy`, named' })
  recordedByUser!: UserRef;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt!: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  cancelledBy!: string | null;
  @ApiProperty({ type: UserRef, nullable: true, description: '`cancelledBy`, named' })
  cancelledByUser!: UserRef | null;
  @ApiProperty({ type: String, nullable: true })
  cancelReason!: string | null;
}

export class ServiceUsePage {
  @ApiProperty({ type: [ServiceUseView] })
  items!: ServiceUseView[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
