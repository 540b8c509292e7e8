import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID, Matches } from 'class-validator';
import { CONSULTATION_TYPE_CODES, type ConsultationTypeCode } from '../../codes/code-lists';
import { IsCalendarDate, IsOmittable, oneOf } from '../../core/http/validators';
import { REPORT_NAMES, type ReportName } from '../reports';

/** The parameters every statistics query takes (api.md, "Statistics and exports"). */
export class StatsQuery {
  /** 1 to 10 fiscal years, comma-separated, each named by the year it starts in (2023 = 令和5年度). */
  @ApiPropertyOptional({ example: '2022,2023' })
  @IsOmittable()
  @Matches(/^\d{4}(,\d{4}){0,9}$/, { message: 'fiscalYears must be 1 to 10 years like 2022,2023' })
  fiscalYears?: string;

  /** First day of a date range (inclusive), instead of fiscal years; needs `to`. */
  @ApiPropertyOptional({ example: '2023-04-01' })
  @IsOmittable()
  @IsCalendarDate()
  from?: string;

  /** Last day of the date range (inclusive). */
  @ApiPropertyOptional({ example: '2023-09-30' })
  @IsOmittable()
  @IsCalendarDate()
  to?: string;

  /** One or two dimensions, comma-separated (which ones depends on the report). */
  @ApiPropertyOptional({ example: 'type,district' })
  @IsOmittable()
  @Matches(/^[A-Za-z]{1,30}(,[A-Za-z]{1,30})?$/, { message: 'by must be one or two dimensions like type,district' })
  by?: string;

  /** Sub-counts beneath the total, comma-separated (consultations: abuse, dv, young_carer, ...). */
  @ApiPropertyOptional({ example: 'abuse,dv' })
  @IsOmittable()
  @Matches(/^[a-z_]{1,40}(,[a-z_]{1,40}){0,9}$/, { message: 'of must be sub-count codes like abuse,dv' })
  of?: string;

  /** Only this district (it must be one the caller's statistics cover). */
  @ApiPropertyOptional()
  @IsOmittable()
  @IsUUID('4')
  districtId?: string;

  /** Only consultations of this type; a top-level type includes its children. */
  @ApiPropertyOptional({ enum: CONSULTATION_TYPE_CODES })
  @IsOmittable()
  @IsIn(CONSULTATION_TYPE_CODES, oneOf(CONSULTATION_TYPE_CODES, 'consultationType'))
  consultationType?: ConsultationTypeCode;
}

export class CreateExportDto extends StatsQuery {
  @ApiProperty({ enum: REPORT_NAMES })
  @IsIn(REPORT_NAMES, oneOf(REPORT_NAMES, 'report'))
  report!: ReportName;

  @ApiProperty({ enum: ['csv'] })
  @IsIn(['csv'], oneOf(['csv'], 'format'))
  format!: 'csv';
}

// --- Responses ------------------------------------------------------------------------

export class LabelDto {
  @ApiProperty({ example: '来所' })
  ja!: string;

  @ApiProperty({ example: 'Walk-in' })
  en!: string;
}

export class PeriodDto {
  @ApiProperty({ example: '2023', description: 'The fiscal year, or `from..to` for a date range' })
  key!: string;

  @ApiProperty({ example: '令和5年度' })
  label!: string;

  @ApiProperty({ example: '2023年度' })
  westernLabel!: string;

  @ApiProperty({ example: '2023-04-01', format: 'date' })
  from!: string;

  @ApiProperty({ example: '2024-03-31', format: 'date' })
  to!: string;
}

const KEY_DESCRIPTION =
  'The row\'s code in each dimension of `by` (e.g. `{ "channel": "walk_in" }`); null is the "not recorded" ' +
  '(or "no district yet") row';

export class StatsRowDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }] },
    description: KEY_DESCRIPTION,
  })
  key!: Record<string, string | number | boolean | null>;

  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/LabelDto' } })
  label!: Record<string, LabelDto>;

  @ApiProperty({ type: [Number], description: 'One count per period' })
  counts!: number[];

  @ApiPropertyOptional({
    type: [Number],
    description: 'cases report: the children behind the cases, each counted once per cell',
  })
  childCounts?: number[];

  @ApiPropertyOptional({
    type: [Number],
    nullable: true,
    description: 'safety-checks report: median hours from receipt to confirmation (null when none)',
  })
  medianHours?: (number | null)[];

  @ApiPropertyOptional({ type: [Number], description: 'services report: households that used it (siblings share one)' })
  householdCounts?: number[];

  @ApiPropertyOptional({
    type: [Number],
    description: 'services report: persons served, summed over the uses (延べ人数)',
  })
  personCounts?: number[];

  @ApiPropertyOptional({ type: [Number], description: 'services report: nights of the stays' })
  nights?: number[];

  @ApiPropertyOptional({ type: [Number], description: 'services report: hours of the uses measured in hours' })
  hours?: number[];

  @ApiPropertyOptional({ type: () => [StatsRowDto], description: 'A tree dimension: the children beneath' })
  children?: StatsRowDto[];
}

export class StatsTotalDto {
  @ApiProperty({ type: [Number] })
  counts!: number[];

  @ApiPropertyOptional({ type: [Number] })
  childCounts?: number[];

  @ApiPropertyOptional({ type: [Number], nullable: true })
  medianHours?: (number | null)[];

  @ApiPropertyOptional({ type: [Number] })
  householdCounts?: number[];

  @ApiPropertyOptional({ type: [Number] })
  personCounts?: number[];

  @ApiPropertyOptional({ type: [Number] })
  nights?: number[];

  @ApiPropertyOptional({ type: [Number] })
  hours?: number[];
}

export class SubCountDto {
  @ApiProperty({ example: 'dv' })
  key!: string;

  @ApiProperty({ type: LabelDto })
  label!: LabelDto;

  @ApiProperty({ type: [Number] })
  counts!: number[];
}

/** A statistics answer, shaped like the report's own table (api.md). */
export class StatsTableDto {
  @ApiProperty({ enum: REPORT_NAMES })
  report!: string;

  @ApiProperty({ type: [PeriodDto] })
  periods!: PeriodDto[];

  @ApiProperty({ type: [String], example: ['channel'] })
  by!: string[];

  @ApiProperty({ type: [StatsRowDto] })
  rows!: StatsRowDto[];

  @ApiProperty({
    type: StatsTotalDto,
    nullable: true,
    description: 'Null for a report of measures (cases, safety checks), whose rows do not add up',
  })
  total!: StatsTotalDto | null;

  @ApiProperty({ type: [SubCountDto] })
  of!: SubCountDto[];
}

export class StatsExportDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: REPORT_NAMES })
  report!: string;

  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] })
  status!: 'queued' | 'running' | 'done' | 'failed';

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: Date | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Lines of figures in the file' })
  rowCount!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed' })
  error!: string | null;

  @ApiProperty({ format: 'date-time', description: 'The file is deleted after this time' })
  expiresAt!: Date;
}
