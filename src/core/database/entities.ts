import { AuditEvent } from '../../audit/audit-event.entity';
import { CaseEvent } from '../../cases/case-event.entity';
import { Case } from '../../cases/case.entity';
import { Consultation } from '../../cases/consultation.entity';
import { Household, HouseholdMember, Person } from '../../cases/person.entity';
import { RefreshToken } from '../../auth/refresh-token.entity';
import { District } from '../../directory/district.entity';
import { DistrictMember, DistrictSupervisor } from '../../directory/district-membership.entity';
import { Organization } from '../../directory/organization.entity';
import { User } from '../../directory/user.entity';
import { Referral } from '../../referrals/referral.entity';
import { Task } from '../../tasks/task.entity';

/**
 * Every entity, listed once: explicit beats a file glob (it works the same in
 * the build, the CLI and the tests, and a forgotten entity fails loudly).
 */
export const ENTITIES: Function[] = [
  User,
  RefreshToken,
  District,
  DistrictMember,
  DistrictSupervisor,
  Organization,
  AuditEvent,
  Person,
  Household,
  HouseholdMember,
  Case,
  CaseEvent,
  Consultation,
  Task,
  Referral,
];
