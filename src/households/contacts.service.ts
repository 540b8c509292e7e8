import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { CaseRecords } from '../cases/case-records';
import type { Case } from '../cases/case.entity';
import { setHouseholdAddress } from '../cases/household-addresses';
import { DomainError } from '../core/errors/domain-error';
import { normalizePhone } from '../core/text/normalize';
import { DistrictsService } from '../directory/districts.service';
import { refOf, UserRef, userRefs } from '../directory/user-ref';
import { recordCaseEvent } from '../cases/case-timeline';
import type {
  AddressEntryResponse,
  ContactDetailsResponse,
  ContactPointResponse,
  CreateContactDto,
  MoveDto,
  MoveResponse,
} from './dto/contacts.dto';

/** A contact point as its row reads, before the staff it names are named. */
type ContactRow = Omit<ContactPointResponse, 'createdByUser'>;
/** An address as its row reads, before the staff it names are named. */
type AddressRow = Omit<AddressEntryResponse, 'recordedByUser'>;

/** A case's contact details as read, ids only: `contactDetailsStaff` and `namedContactDetails` name them. */
export interface ContactDetailRows {
  contacts: ContactRow[];
  addresses: AddressRow[];
}

/** The staff the contact details point at, for userRefs to read with the rest of an answer (one names query). */
export function contactDetailsStaff(d: ContactDetailRows): (string | null)[] {
  return [...d.contacts.map((k) => k.createdBy), ...d.addresses.map((a) => a.recordedBy)];
}

/** `users` holds the staff contactDetailsStaff listed (userRefs). */
export function namedContactDetails(d: ContactDetailRows, users: Map<string, UserRef>): ContactDetailsResponse {
  return {
    contacts: d.contacts.map((k) => namedContact(k, users)),
    addresses: d.addresses.map((a) => namedAddress(a, users)),
  };
}

function namedContact(k: ContactRow, users: Map<string, UserRef>): ContactPointResponse {
  return { ...k, createdByUser: refOf(users, k.createdBy) };
}

function namedAddress(a: AddressRow, users: Map<string, UserRef>): AddressEntryResponse {
  return { ...a, recordedByUser: refOf(users, a.recordedBy) };
}

const CONTACT_COLUMNS = `cp.id, cp.person_id AS "personId", cp.kind, cp.label, cp.value, cp.note,
  cp.created_at AS "createdAt", cp.created_by AS "createdBy"`;
const ADDRESS_COLUMNS = `id, address, change, to_char(moved_on, 'YYYY-MM-DD') AS "movedOn",
  recorded_at AS "recordedAt", recorded_by AS "recordedBy"`;

/**
 * The people on a case's record with their place on it: the subject, every
 * other member of its household, and the subjects of the household's other
 * cases as siblings (SQL, `$1` the case id).
 */
export const RECORD_PEOPLE = `
  SELECT c.subject_id AS person_id, 'subject' AS relationship FROM cases c WHERE c.id = $1
  UNION
  SELECT hm.person_id, hm.relationship FROM cases c JOIN household_members hm ON hm.household_id = c.household_id
   WHERE c.id = $1 AND hm.person_id <> c.subject_id
  UNION
  SELECT oc.subject_id, 'sibling' FROM cases c JOIN cases oc ON oc.household_id = c.household_id
   WHERE c.id = $1 AND oc.subject_id <> c.subject_id
     AND NOT EXISTS (SELECT 1 FROM household_members hm WHERE hm.household_id = c.household_id AND hm.person_id = oc.subject_id)`;

/**
 * Contact details (issue 13): phone numbers and e-mail addresses of the
 * people on a case, and the household's address history. Personal data like
 * names (access.md: household details never go to staff), so they are read
 * with the case permission, and every read and change is audited.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly db: DataSource,
    private readonly records: CaseRecords,
    private readonly districts: DistrictsService,
    private readonly audit: AuditLog,
  ) {}

  /** GET /cases/{id}/contacts: contact points in use and every address, audited as one read. */
  async get(actor: Actor, caseId: string): Promise<ContactDetailsResponse> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, 'case.read');
      const rows = await this.read(m, c);
      const details = namedContactDetails(rows, await userRefs(m, contactDetailsStaff(rows)));
      await this.audit.record(m, actor, {
        action: 'read',
        entityType: 'contact_details',
        entityId: c.id,
        districtId: c.districtId,
        summary: { contacts: details.contacts.length, addresses: details.addresses.length },
      });
      return details;
    });
  }

  /**
   * The contact details of a case already loaded and authorized, staff as
   * ids: the caller names them with the rest of its answer (the whole record
   * reads them too).
   */
  async read(m: EntityManager, c: Case): Promise<ContactDetailRows> {
    const contacts = (await m.query(
      `SELECT ${CONTACT_COLUMNS}, people.relationship
         FROM (${RECORD_PEOPLE}) people JOIN contact_points cp ON cp.person_id = people.person_id
        WHERE cp.removed_at IS NULL
        ORDER BY cp.created_at, cp.id`,
      [c.id],
    )) as ContactRow[];
    const addresses = (await m.query(
      `SELECT ${ADDRESS_COLUMNS} FROM household_addresses WHERE household_id = $1 ORDER BY recorded_at DESC, id DESC`,
      [c.householdId],
    )) as AddressRow[];
    return { contacts, addresses };
  }

  /** POST /cases/{id}/contacts: a contact point for the subject or a household member. */
  async add(actor: Actor, caseId: string, dto: CreateContactDto): Promise<ContactPointResponse> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, 'case.edit', { open: true });
      const [person] = (await m.query(`SELECT relationship FROM (${RECORD_PEOPLE}) p WHERE person_id = $2`, [
        c.id,
        dto.personId,
      ])) as { relationship: string }[];
      if (!person) {
        throw DomainError.validation([
          { field: 'personId', message: 'is not the subject or a member of the household' },
        ]);
      }
      const value = dto.kind === 'phone' ? normalizePhone(dto.value) : dto.value.trim();
      const [row] = (await m.query(
        `INSERT INTO contact_points AS cp (person_id, kind, label, value, note, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${CONTACT_COLUMNS}`,
        [dto.personId, dto.kind, dto.label, value, dto.note ?? null, actor.userId],
      )) as Omit<ContactRow, 'relationship'>[];
      await this.audit.record(m, actor, {
        action: 'create',
        entityType: 'contact_point',
        entityId: row.id,
        districtId: c.districtId,
        summary: { caseId: c.id, relationship: person.relationship, kind: dto.kind, label: dto.label },
      });
      return namedContact({ ...row, relationship: person.relationship }, await userRefs(m, [actor.userId]));
    });
  }

  /** DELETE /cases/{id}/contacts/{contactId}: no longer in use; the row is kept (nothing is ever lost). */
  async remove(actor: Actor, caseId: string, contactId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, 'case.edit', { open: true });
      const [rows] = (await m.query(
        `UPDATE contact_points SET removed_at = now(), removed_by = $3
          WHERE id = $1 AND removed_at IS NULL AND person_id IN (SELECT person_id FROM (${RECORD_PEOPLE.replaceAll('$1', '$2')}) p)
          RETURNING id`,
        [contactId, c.id, actor.userId],
      )) as [unknown[], number];
      if (rows.length === 0) throw DomainError.notFound('Contact point');
      await this.audit.record(m, actor, {
        action: 'update',
        entityType: 'contact_point',
        entityId: contactId,
        districtId: c.districtId,
        summary: { caseId: c.id, removed: true },
      });
    });
  }

  /**
   * POST /cases/{id}/moves: the household moved (転居). The new address
   * becomes current, the old one stays in the history, and the answer says
   * which district the new address lies in; moving the case there is a
   * supervisor's decision (PUT /cases/{id}/assignment), as at intake.
   */
  async move(actor: Actor, caseId: string, dto: MoveDto): Promise<MoveResponse> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, 'case.edit', { open: true });
      await setHouseholdAddress(m, c.householdId, {
        address: dto.address,
        change: 'move',
        movedOn: dto.movedOn,
        recordedBy: actor.userId,
      });
      const suggestedDistrictId = await this.districts.suggest(m, dto.address);
      const districtChanged = suggestedDistrictId !== c.districtId;
      await recordCaseEvent(m, {
        caseId: c.id,
        actorId: actor.userId,
        kind: 'moved',
        details: { movedOn: dto.movedOn, suggestedDistrictId, districtChanged },
      });
      await this.audit.record(m, actor, {
        action: 'update',
        entityType: 'household',
        entityId: c.householdId,
        districtId: c.districtId,
        summary: { caseId: c.id, change: 'move', districtChanged },
      });
      const [address] = (await m.query(
        `SELECT ${ADDRESS_COLUMNS} FROM household_addresses WHERE household_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT 1`,
        [c.householdId],
      )) as AddressRow[];
      return {
        address: namedAddress(address, await userRefs(m, [address.recordedBy])),
        suggestedDistrictId,
        districtId: c.districtId,
        districtChanged,
      };
    });
  }
}
