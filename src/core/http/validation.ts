import { ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { DomainError, FieldError } from '../errors/domain-error';

/** Rule codes whose class-validator name reads badly once snake_cased. */
const RULE_CODES: Record<string, string> = {
  whitelistValidation: 'unknown_field',
  isIn: 'one_of',
  isEnum: 'one_of',
  arrayMaxSize: 'max_items',
  arrayMinSize: 'min_items',
  isInt: 'integer',
  isNotEmpty: 'required',
  isDefined: 'required',
  matches: 'pattern',
  nestedValidation: 'object',
};

/** The bounds a client needs to say the rule in its own language, by the rule's constraint arguments. */
const RULE_PARAMS: Record<string, (c: unknown[]) => Record<string, unknown>> = {
  maxLength: ([max]) => ({ max }),
  minLength: ([min]) => ({ min }),
  max: ([max]) => ({ max }),
  min: ([min]) => ({ min }),
  arrayMaxSize: ([max]) => ({ max }),
  arrayMinSize: ([min]) => ({ min }),
  isIn: ([allowed]) => ({ allowed }),
};

/** `maxLength` → `max_length`, `isUuid` → `uuid`: a stable code a client can translate. */
export function ruleCode(constraint: string): string {
  return (
    RULE_CODES[constraint] ??
    constraint
      .replace(/^is(?=[A-Z])/, '')
      .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
      .replace(/^_/, '')
  );
}

function ruleParams(error: ValidationError, constraint: string): Record<string, unknown> | undefined {
  const params = RULE_PARAMS[constraint];
  if (!params || !error.target) return undefined;
  const rule = getMetadataStorage()
    .getTargetValidationMetadatas(error.target.constructor, '', true, false)
    .find((m) => m.propertyName === error.property && m.name === constraint);
  return rule ? params(rule.constraints ?? []) : undefined;
}

/** Flattens class-validator's tree into `{ field: "a.b[0].c", code, message, params }` rows. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const isIndex = /^\d+$/.test(error.property);
    const field = parent ? (isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      code: ruleCode(constraint),
      message: constraint === 'whitelistValidation' ? 'unknown field' : message,
      params: ruleParams(error, constraint),
    }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/** Every input is validated at the edge: whitelisted, unknown fields refused, types converted. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    // The target lets fieldErrors find a rule's bounds; it never reaches the client.
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => DomainError.validation(fieldErrors(errors)),
  });
}

/** Path ids are UUIDs (api.md, "Ids"); anything else is a 400 before any lookup. */
export const uuidParam = new ParseUUIDPipe({ version: '4' });
