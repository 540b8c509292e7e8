import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  IsObject,
  IsOptional,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';

/** The message of an @IsIn over a code list: names every allowed code. */
export const oneOf = (list: readonly string[], name: string) => ({
  message: `${name} must be one of: ${list.join(', ')}`,
});

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && y >= 1900;
}

export function IsCalendarDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a real date written YYYY-MM-DD`, ...options },
      validator: { validate: isCalendarDate },
    });
}

/**
 * Built once: constructing an Intl.DateTimeFormat costs about half a millisecond of CPU, and every validated
 * birth date asked for one (issue 16).
 */
const JAPAN_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' });

/** Today's date (YYYY-MM-DD) in Japan, where the center is; a birth date may not be after it. */
function todayInJapan(): string {
  return JAPAN_DATE.format(new Date());
}

export function NotInTheFuture(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'notInTheFuture',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} cannot be in the future`, ...options },
      validator: {
        validate: (value: unknown) => {
          if (isCalendarDate(value)) return value <= todayInJapan();
          if (typeof value === 'string' && isInstant(value)) return Date.parse(value) <= Date.now() + 5 * 60_000;
          return true; // the format rule reports malformed values
        },
      },
    });
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 time with an offset (api.md, "Times"), and a real one. */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !INSTANT.test(value)) return false;
  return isCalendarDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

export function IsInstant(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be an ISO 8601 time with an offset, like 2026-04-01T09:30:00+09:00`,
        ...options,
      },
      validator: { validate: isInstant },
    });
}

/** Written in kana (hiragana, katakana, half-width katakana), spaces allowed. */
export function IsKana(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isKana',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be written in kana`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          /^[\u3041-\u3096\u309b-\u309f\u30a0-\u30ff\uff66-\uff9f\u3000 ・ー－-]+$/.test(value),
      },
    });
}

/** Only allowed when another field has one of the given values. */
export function OnlyWhen(field: string, values: readonly unknown[], options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'onlyWhen',
      target: object.constructor,
      propertyName,
      constraints: [field, values],
      options: {
        message: `${propertyName} is only allowed when ${field} is ${values.join(' or ')}`,
        ...options,
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const empty = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
          return empty || values.includes((args.object as Record<string, unknown>)[field]);
        },
      },
    });
}

/**
 * The field may be left out, but not sent as null: its other rules then
 * refuse null (400), instead of a null reaching a NOT NULL column (500).
 */
export const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** The field may be left out, or sent as null to clear it (only where null means something). */
export const IsNullable = () => IsOptional();

/**
 * A nested object validated by its own class. It must be an object: a
 * missing one, null, an array or a string is a 400 (@ValidateNested alone
 * lets those through, and the service then fails on them).
 */
export function NestedObject(type: () => new () => object) {
  return applyDecorators(IsObject({ message: '$property must be an object' }), ValidateNested(), Type(type));
}
