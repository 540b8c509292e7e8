import { Body, Controller, HttpCode, Injectable, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { HouseholdDto } from '../cases/dto/intake.dto';
import { readableCases } from '../cases/case-records';
import { Case } from '../cases/case.entity';
import { householdSearchKey } from '../cases/search-keys';
import { normalizeKana, searchKey } from '../core/text/normalize';

/** Who counts as a guardian when two intakes are compared: the parents and other guardians (保護者). */
const GUARDIANS = ['mother', 'father', 'stepmother', 'stepfather', 'guardian'];

export class MatchedCase {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty() caseNumber!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) districtId!: string | null;
  @ApiProperty() status!: string;
}

export class HouseholdMatch {
  @ApiProperty({ format: 'uuid', description: 'Send as `householdId` with the intake to join this household' })
  householdId!: string;
  @ApiProperty({ type: [MatchedCase], description: 'Its cases: numbers and status, no names' })
  cases!: MatchedCase[];
}

export class HouseholdMatchesResponse {
  @ApiProperty({ type: [HouseholdMatch] }) items!: HouseholdMatch[];
}

/**
 * Before an intake records a family, the households already on record at
 * the same address (compared as search keys: 桜ヶ丘 = 桜ケ丘, 一丁目 = 1丁目)
 * with a guardian of the same name (kana, or kanji when no kana is given).
 * The counselor then joins the household (`householdId`) instead of
 * recording the family twice (issue 13). Only cases the actor may read are
 * named, by number, district and status.
 */
/*
 * Queries: the household search is raw SQL (an address key, and a guardian
 * found by kana key = ANY or name words LIKE ANY inside an EXISTS, which the
 * query builder has no plain form for); the cases it names are read with the
 * query builder on the case entity, through readableCases.
 */
@Injectable()
export class HouseholdMatches {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async find(actor: Actor, household: HouseholdDto): Promise<HouseholdMatchesResponse> {
    const guardians = household.members.filter((p) => GUARDIANS.includes(p.relationship));
    if (guardians.length === 0) return { items: [] };
    const kanaKeys = guardians
      .filter((p) => p.familyNameKana && p.givenNameKana)
      .map((p) => normalizeKana(`${p.familyNameKana}${p.givenNameKana}`));
    const nameWords = guardians.map(
      (p) => `% ${searchKey(`${p.familyName}${p.givenName}`).replace(/[\\%_]/g, '\\$&')} %`,
    );
    return this.db.transaction(async (m) => {
      const found = (await m.query(
        `SELECT h.id FROM households h
          WHERE h.search_key = $1
            AND EXISTS (SELECT 1 FROM household_members hm JOIN persons p ON p.id = hm.person_id
                         WHERE hm.household_id = h.id AND hm.relationship = ANY($2)
                           AND (p.name_kana_key = ANY($3) OR p.search_key LIKE ANY($4)))
          LIMIT 50`,
        [householdSearchKey(household.address), GUARDIANS, kanaKeys, nameWords],
      )) as { id: string }[];
      // Only cases the actor may read are named, and a household none of whose cases they may read is not
      // offered at all: a match must not reveal another district's or a confidential family (issue 11, item 1).
      const cases = found.length
        ? await m
            .getRepository(Case)
            .createQueryBuilder('c')
            .select(['c.id', 'c.number', 'c.districtId', 'c.status', 'c.householdId'])
            .where('c.household_id IN (:...ids)', { ids: found.map((h) => h.id) })
            .andWhere(readableCases(actor))
            .orderBy('c.opened_at')
            .addOrderBy('c.id')
            .getMany()
        : [];
      const byHousehold = new Map<string, MatchedCase[]>();
      for (const c of cases) {
        const list = byHousehold.get(c.householdId) ?? [];
        list.push({ caseId: c.id, caseNumber: c.number, districtId: c.districtId, status: c.status });
        byHousehold.set(c.householdId, list);
      }
      const rows: HouseholdMatch[] = [...byHousehold].slice(0, 10).map(([householdId, list]) => ({
        householdId,
        cases: list,
      }));
      await this.audit.record(m, actor, {
        action: 'read',
        entityType: 'household_match',
        summary: { matches: rows.length },
      });
      return { items: rows };
    });
  }
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('intakes/household-matches')
export class HouseholdMatchesController {
  constructor(private readonly matches: HouseholdMatches) {}

  /** Households on record with this address and a guardian of the same name: join one instead of a second copy. */
  @Allow('case.intake')
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Households on record that an intake could join (same address and guardian)' })
  @ApiOkResponse({ type: HouseholdMatchesResponse })
  find(@CurrentActor() actor: Actor, @Body() household: HouseholdDto): Promise<HouseholdMatchesResponse> {
    return this.matches.find(actor, household);
  }
}
