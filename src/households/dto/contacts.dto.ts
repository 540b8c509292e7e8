import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  isEmail,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  registerDecorator,
  ValidationArguments,
} from 'class-validator';
import { IsCalendarDate, IsOmittable, NotInTheFuture, oneOf } from '../../core/http/validators';
import { UserRef } from '../../directory/user-ref';
import { normalizePhone } from '../../core/text/normalize';
import {
  ADDRESS_CHANGES,
  CONTACT_KINDS,
  CONTACT_LABELS,
  RELATIONSHIPS,
  type AddressChange,
  type ContactKind,
  type ContactLabel,
} from '../../codes/code-lists';

/**
 * A phone number as people write it, after normalizePhone: digits with
 * hyphens, spaces or parentheses, an optional leading +, and an extension
 * (内線) after the number.
 */
const PHONE = /^\+?\d[\d\- ()]{5,30}( *(内線|ext\.?|x) *\d{1,6})?$/u;

/** `value` is a phone number or an e-mail address, as `kind` says. */
function IsContactValue() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isContactValue',
      target: object.constructor,
      propertyName,
      options: {
        message: 'value must be a phone number (digits, hyphens, an optional 内線) or an e-mail address, as kind says',
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          typeof value === 'string' &&
          ((args.object as CreateContactDto).kind === 'email' ? isEmail(value) : PHONE.test(normalizePhone(value))),
      },
    });
}

export class CreateContactDto {
  /** The subject or a member of the case's household. */
  @IsUUID('all')
  personId!: string;

  @ApiProperty({ enum: CONTACT_KINDS })
  @IsIn(CONTACT_KINDS, oneOf(CONTACT_KINDS, 'kind'))
  kind!: ContactKind;

  @ApiProperty({ enum: CONTACT_LABELS })
  @IsIn(CONTACT_LABELS, oneOf(CONTACT_LABELS, 'label'))
  label!: ContactLabel;

  /** The number (`090-1234-5678`) or the address (`name@example.jp`). */
  @IsString()
  @MaxLength(254)
  @IsContactValue()
  value!: string;

  /** How and when it may be used: 「夜間不可」「父に知られないように」. */
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  note?: string;
}

export class MoveDto {
  /** The new address (転居先). */
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  address!: string;

  /** The day the household moved (転居日); not in the future. */
  @ApiProperty({ format: 'date', example: '2026-10-01' })
  @IsCalendarDate()
  @NotInTheFuture()
  movedOn!: string;
}

export class ContactPointResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ enum: ['subject', ...RELATIONSHIPS], description: "The person's place on the record" })
  relationship!: string;
  @ApiProperty({ enum: CONTACT_KINDS }) kind!: ContactKind;
  @ApiProperty({ enum: CONTACT_LABELS }) label!: ContactLabel;
  @ApiProperty() value!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ type: UserRef, description: '`createdBy`, named' }) createdByUser!: UserRef;
}

export class AddressEntryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ enum: ADDRESS_CHANGES }) change!: AddressChange;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'The day of a move' })
  movedOn!: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt!: Date;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) recordedBy!: string | null;
  @ApiProperty({ type: UserRef, nullable: true, description: '`recordedBy`, named; null when no one is recorded' })
  recordedByUser!: UserRef | null;
}

export class ContactDetailsResponse {
  @ApiProperty({ type: [ContactPointResponse], description: 'Contact points in use, oldest first' })
  contacts!: ContactPointResponse[];
  @ApiProperty({ type: [AddressEntryResponse], description: "The household's addresses, newest first" })
  addresses!: AddressEntryResponse[];
}

export class MoveResponse {
  @ApiProperty({ type: AddressEntryResponse }) address!: AddressEntryResponse;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The district the new address lies in' })
  suggestedDistrictId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) districtId!: string | null;
  @ApiProperty({ description: 'The new address lies in another district: a supervisor should reassign the case' })
  districtChanged!: boolean;
}
