import { Identity1795400000000 } from './1795400000000-Identity';
import { Cases1795500000000 } from './1795500000000-Cases';
import { FollowUps1795600000000 } from './1795600000000-FollowUps';
import { Referrals1795700000000 } from './1795700000000-Referrals';
import { CurrentScope1795800000000 } from './1795800000000-CurrentScope';
import { SafetyCheckOutcome1796100000000 } from './1796100000000-SafetyCheckOutcome';
import { SafetyCheckReports1796100100000 } from './1796100100000-SafetyCheckReports';
import { UnreadNotifications1796130000000 } from './1796130000000-UnreadNotifications';
import { ContactDetails1796130100000 } from './1796130100000-ContactDetails';
import { Search1796130200000 } from './1796130200000-Search';
import { AuditCheckpoints1796200000000 } from './1796200000000-AuditCheckpoints';
import { SupportPlans1796214000000 } from './1796214000000-SupportPlans';
import { Statistics1796300000000 } from './1796300000000-Statistics';
import { CaseNumberSequences1796416000000 } from './1796416000000-CaseNumberSequences';
import { ListIndexes1796416100000 } from './1796416100000-ListIndexes';
import { CaseSearchKey1796416200000 } from './1796416200000-CaseSearchKey';

/** Every migration, in order. test/core/migrations.test.ts checks none is missing. */
export const MIGRATIONS: Function[] = [
  Identity1795400000000,
  Cases1795500000000,
  FollowUps1795600000000,
  Referrals1795700000000,
  CurrentScope1795800000000,
  SafetyCheckOutcome1796100000000,
  SafetyCheckReports1796100100000,
  UnreadNotifications1796130000000,
  ContactDetails1796130100000,
  Search1796130200000,
  AuditCheckpoints1796200000000,
  SupportPlans1796214000000,
  Statistics1796300000000,
  CaseNumberSequences1796416000000,
  ListIndexes1796416100000,
  CaseSearchKey1796416200000,
];
