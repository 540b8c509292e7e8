import { AbilityBuilder, createMongoAbility, ForcedSubject, MongoAbility, subject as tag } from '@casl/ability';
import { rulesToAST } from '@casl/ability/extra';
import type { Condition, CompoundCondition, FieldCondition } from '@ucast/mongo2js';
import { Brackets, WhereExpressionBuilder } from 'typeorm';
import { DomainError } from '../core/errors/domain-error';
import { MATRIX, Permission, PERMISSIONS, Scope } from './matrix';
import type { Role } from './roles';

export type AppAbility = MongoAbility<[Permission, string | ForcedSubject<string>]>;

/** The authenticated caller of one request, as the policy and the audit log see them. */
export interface Actor extends Scope {
  username: string;
  roles: Role[];
  mustChangePassword: boolean;
  ability: AppAbility;
  ip: string | null;
  requestId: string | null;
}

/** The subject type a permission is about, for CASL ('case.read' → 'case'). */
const subjectOf = (permission: Permission) => permission.split('.')[0];

export function buildAbility(roles: Role[], scope: Scope): AppAbility {
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  for (const permission of PERMISSIONS) {
    const grants = MATRIX[permission] as Partial<Record<Role, true | ((s: Scope) => object[])>>;
    for (const role of roles) {
      const grant = grants[role];
      if (grant === true) can(permission, subjectOf(permission));
      else if (grant) for (const condition of grant(scope)) can(permission, subjectOf(permission), condition);
    }
  }
  return build();
}

/** May the actor's roles exercise this permission at all? (No: 403.) */
export function roleAllows(actor: Pick<Actor, 'ability'>, permission: Permission): boolean {
  return actor.ability.rulesFor(permission, subjectOf(permission)).length > 0;
}

/** May the actor exercise the permission on this record (given as its access shape)? */
export function allows(actor: Pick<Actor, 'ability'>, permission: Permission, record: object): boolean {
  return actor.ability.can(permission, tag(subjectOf(permission), { ...record }));
}

/**
 * Checks a record: out of the actor's read scope → 404 (its existence does not
 * leak); readable but not allowed this action → 403.
 */
export function authorize(
  actor: Pick<Actor, 'ability'>,
  permission: Permission,
  record: object,
  readPermission: Permission,
  what: string,
): void {
  if (allows(actor, permission, record)) return;
  if (allows(actor, readPermission, record)) throw DomainError.forbidden();
  throw DomainError.notFound(what);
}

/**
 * How each field of an access shape is found in SQL, for one query. Array
 * columns name their element type, so containment uses the GIN index.
 */
export type FieldMap = Record<string, { sql: string; array?: 'uuid' | 'text' }>;

/**
 * The WHERE condition that selects exactly the records the actor may see
 * under `permission`: CASL's rules compiled to parameterized SQL. A field the
 * map does not know is a programming error and throws, so a query can never
 * silently widen (style.md, "scope cannot be forgotten").
 */
export function scopeWhere(actor: Pick<Actor, 'ability'>, permission: Permission, fields: FieldMap): Brackets {
  const { sql, params } = scopeCondition(actor, permission, fields);
  return new Brackets((qb: WhereExpressionBuilder) => {
    qb.where(sql, params);
  });
}

/**
 * The same condition as SQL text with named parameters (`:name`), for the
 * hand-written aggregate queries of the statistics, which the query builder
 * cannot express (GROUPING SETS).
 */
export function scopeCondition(
  actor: Pick<Actor, 'ability'>,
  permission: Permission,
  fields: FieldMap,
): { sql: string; params: Record<string, unknown> } {
  const ast = rulesToAST(actor.ability, permission, subjectOf(permission));
  let n = 0;
  const params: Record<string, unknown> = {};
  const param = (value: unknown) => {
    const name = `scope_${permission.replace('.', '_')}_${n++}`;
    params[name] = value;
    return `:${name}`;
  };
  const compile = (c: Condition): string => {
    if (c.operator === 'and' || c.operator === 'or') {
      const parts = (c as CompoundCondition).value.map(compile);
      if (parts.length === 0) return c.operator === 'and' ? 'TRUE' : 'FALSE';
      return `(${parts.join(c.operator === 'and' ? ' AND ' : ' OR ')})`;
    }
    if (c.operator === 'not') return `NOT ${compile((c as CompoundCondition).value[0])}`;
    const { field, value } = c as FieldCondition;
    const column = fields[String(field)];
    if (!column) throw new Error(`scopeWhere(${permission}): no SQL mapping for field "${String(field)}"`);
    switch (c.operator) {
      case 'eq':
        if (value === null) return `${column.sql} IS NULL`;
        // Array columns: containment (@>), which the GIN index serves.
        return column.array
          ? `${column.sql} @> ARRAY[${param(value)}]::${column.array}[]`
          : `${column.sql} = ${param(value)}`;
      case 'ne':
        return column.array
          ? `NOT (${column.sql} @> ARRAY[${param(value)}]::${column.array}[])`
          : `${column.sql} IS DISTINCT FROM ${param(value)}`;
      case 'in': {
        const list = value as unknown[];
        if (list.length === 0) return 'FALSE';
        return column.array
          ? `${column.sql} && ${param(list)}::${column.array}[]`
          : `${column.sql} = ANY(${param(list)})`;
      }
      default:
        throw new Error(`scopeWhere(${permission}): unsupported operator ${c.operator}`);
    }
  };
  return { sql: ast ? compile(ast) : 'FALSE', params };
}
