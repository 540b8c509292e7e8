import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Max,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ABUSE_TYPES,
  ASSIGNABLE_CONSULTATION_TYPES,
  CHANNELS,
  MAIN_ABUSER_RELATIONS,
  RELATIONSHIPS,
  ROUTES,
  SEXES,
  SUBJECT_KINDS,
  type AbuseType,
  type Channel,
  type ConsultationType,
  type MainAbuserRelation,
  type Relationship,
  type Route,
  type Sex,
  type SubjectKind,
} from '../../codes/code-lists';
import {
  IsCalendarDate,
  IsInstant,
  IsKana,
  IsOmittable,
  NestedObject,
  NotInTheFuture,
  oneOf,
  OnlyWhen,
} from '../../core/http/validators';

export class PersonNameDto {
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  familyName!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(50)
  givenName!: string;
}

export class SubjectDto extends PersonNameDto {
  @IsKana()
  @MaxLength(50)
  familyNameKana!: string;

  @IsKana()
  @MaxLength(50)
  givenNameKana!: string;

  /** Required for a born child; a pregnancy case has the expected due date instead. */
  @ValidateIf((s: SubjectDto) => s.birthDate !== undefined || (s.kind === 'child' && s.expectedDueDate === undefined))
  @IsCalendarDate()
  @NotInTheFuture()
  birthDate?: string;

  @ValidateIf((s: SubjectDto) => s.expectedDueDate !== undefined || s.kind === 'expectant_mother')
  @IsCalendarDate()
  expectedDueDate?: string;

  @IsIn(SEXES, oneOf(SEXES, 'sex'))
  sex!: Sex;

  /** School or nursery (所属). */
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  school?: string;

  @IsIn(SUBJECT_KINDS, oneOf(SUBJECT_KINDS, 'kind'))
  kind!: SubjectKind;
}

export class HouseholdMemberDto extends PersonNameDto {
  @IsIn(RELATIONSHIPS, oneOf(RELATIONSHIPS, 'relationship'))
  relationship!: Relationship;

  @IsOmittable()
  @IsKana()
  @MaxLength(50)
  familyNameKana?: string;

  @IsOmittable()
  @IsKana()
  @MaxLength(50)
  givenNameKana?: string;

  @IsOmittable()
  @IsCalendarDate()
  @NotInTheFuture()
  birthDate?: string;

  @IsOmittable()
  @IsIn(SEXES, oneOf(SEXES, 'sex'))
  sex?: Sex;
}

export class HouseholdDto {
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  address!: string;

  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => HouseholdMemberDto)
  members!: HouseholdMemberDto[];
}

export class ConsultationDto {
  @IsInstant()
  @NotInTheFuture()
  occurredAt!: string;

  @IsIn(CHANNELS, oneOf(CHANNELS, 'channel'))
  channel!: Channel;

  /** Who contacted the center (相談経路). */
  @IsIn(ROUTES, oneOf(ROUTES, 'route'))
  route!: Route;

  @IsIn(ASSIGNABLE_CONSULTATION_TYPES, oneOf(ASSIGNABLE_CONSULTATION_TYPES, 'consultationType'))
  consultationType!: ConsultationType;

  @IsOmittable()
  @IsBoolean()
  bullying?: boolean;

  @OnlyWhen('consultationType', ['abuse'])
  @IsOmittable()
  @IsArray()
  @ArrayUnique()
  @IsIn(ABUSE_TYPES, { each: true, ...oneOf(ABUSE_TYPES, 'each abuse type') })
  abuseTypes?: AbuseType[];

  @OnlyWhen('consultationType', ['abuse'])
  @IsOmittable()
  @IsIn(MAIN_ABUSER_RELATIONS, oneOf(MAIN_ABUSER_RELATIONS, 'mainAbuser'))
  mainAbuser?: MainAbuserRelation;

  /** Marked as an abuse notification (通告): starts the 48-hour rule whatever the type. */
  @IsOmittable()
  @IsBoolean()
  abuseNotification?: boolean;

  @IsInt()
  @Min(0)
  @Max(1440)
  durationMinutes!: number;

  /** 経過: stored verbatim. */
  @IsString()
  @MinLength(1)
  @MaxLength(20_000)
  summary!: string;

  @IsOmittable()
  @IsString()
  @MaxLength(2_000)
  nextAction?: string;
}

export class IntakeDto {
  /** Required unless the consultation is added to an existing case (`caseId` or `matchToken`). */
  @ValidateIf((i: IntakeDto) => (i.caseId === undefined && i.matchToken === undefined) || i.subject !== undefined)
  @NestedObject(() => SubjectDto)
  subject?: SubjectDto;

  /** Required unless added to a case (`caseId`) or joining a sibling's household (`householdId`). */
  @ValidateIf(
    (i: IntakeDto) =>
      (i.caseId === undefined && i.matchToken === undefined && i.householdId === undefined) ||
      i.household !== undefined,
  )
  @NestedObject(() => HouseholdDto)
  household?: HouseholdDto;

  /**
   * Join this existing household (a sibling's, as POST /intakes/household-matches
   * offers) instead of recording the family a second time: the child becomes
   * a member of it (きょうだい), and `household` is left out.
   */
  @IsOmittable()
  @IsUUID('4')
  householdId?: string;

  @NestedObject(() => ConsultationDto)
  consultation!: ConsultationDto;

  /** Add the consultation to this existing case instead of opening one. */
  @IsOmittable()
  @IsUUID('4')
  caseId?: string;

  /**
   * Add the consultation to the case a `possible_duplicate` answer named only
   * by this token (a case the caller may not read): the answer is ids only.
   * Valid for its receiver for 30 minutes.
   */
  @ApiPropertyOptional({ type: String, description: 'A `matchToken` from a `possible_duplicate` answer' })
  @IsOmittable()
  @OnlyWhen('caseId', [undefined], { message: 'send caseId or matchToken, not both' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{40,400}$/, { message: 'matchToken must be a token from a possible_duplicate answer' })
  matchToken?: string;

  /** Open a new case even though a likely duplicate exists (a different child of the same name and birth date). */
  @IsOmittable()
  @IsBoolean()
  confirmNew?: boolean;
}
