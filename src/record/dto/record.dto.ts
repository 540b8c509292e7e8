import { ApiProperty } from '@nestjs/swagger';
import { SiblingCase } from '../../cases/siblings';
import { UserRef } from '../../directory/user-ref';
import { AddressEntryResponse, ContactPointResponse } from '../../households/dto/contacts.dto';

const nullableString = { type: String, nullable: true } as const;
const nullableDate = { type: String, format: 'date', nullable: true } as const;
const nullableInstant = { type: String, format: 'date-time', nullable: true } as const;

export class RecordPerson {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty(nullableString) familyNameKana!: string | null;
  @ApiProperty(nullableString) givenNameKana!: string | null;
  @ApiProperty(nullableDate) birthDate!: string | null;
  @ApiProperty(nullableDate) expectedDueDate!: string | null;
  @ApiProperty(nullableString) sex!: string | null;
  @ApiProperty({ ...nullableString, description: '所属: school or nursery' }) school!: string | null;
}

export class RecordSubject extends RecordPerson {
  @ApiProperty({ enum: ['child', 'expectant_mother'] }) kind!: string;
}

export class RecordMember extends RecordPerson {
  @ApiProperty({ description: 'Relationship to the subject (code list `relationships`)' }) relationship!: string;
}

export class RecordHousehold {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The current address' }) address!: string;
  @ApiProperty({ type: [RecordMember] }) members!: RecordMember[];
  @ApiProperty({ type: [AddressEntryResponse], description: 'Every address, newest first' })
  addresses!: AddressEntryResponse[];
  @ApiProperty({ type: [ContactPointResponse], description: 'Contact points in use of the subject and the members' })
  contacts!: ContactPointResponse[];
}

export class RecordDistrict {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class RecordFlags {
  @ApiProperty() confidential!: boolean;
  @ApiProperty() youngCarer!: boolean;
  @ApiProperty() dvInvolved!: boolean;
}

/** The case header of the form: number, status, district, counselors, registration, flags, dates. */
export class RecordCase {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-0042' }) number!: string;
  @ApiProperty() fiscalYear!: number;
  @ApiProperty() status!: string;
  @ApiProperty({ type: RecordDistrict, nullable: true }) district!: RecordDistrict | null;
  @ApiProperty({ type: UserRef, nullable: true }) primaryCounselor!: UserRef | null;
  @ApiProperty({ type: [UserRef] }) coCounselors!: UserRef[];
  @ApiProperty() mainConsultationType!: string;
  @ApiProperty({ type: [String] }) consultationTypes!: string[];
  @ApiProperty({ description: 'Registration with the regional council (要対協)' }) protection!: string;
  @ApiProperty(nullableString) risk!: string | null;
  @ApiProperty({ type: [String] }) abuseTypes!: string[];
  @ApiProperty(nullableString) mainAbuser!: string | null;
  @ApiProperty({ type: RecordFlags }) flags!: RecordFlags;
  @ApiProperty({ type: [SiblingCase], description: "Siblings' cases in the same household that you may read" })
  siblingCases!: SiblingCase[];
  @ApiProperty({ format: 'date-time' }) openedAt!: Date;
  @ApiProperty(nullableInstant) acceptedAt!: Date | null;
  @ApiProperty(nullableInstant) closedAt!: Date | null;
  @ApiProperty(nullableString) closureReason!: string | null;
  @ApiProperty() version!: number;
}

/** One entry of the progress record (経過記録). */
export class RecordConsultation {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: Date;
  @ApiProperty() durationMinutes!: number;
  @ApiProperty({ type: UserRef }) counselor!: UserRef;
  @ApiProperty() channel!: string;
  @ApiProperty() route!: string;
  @ApiProperty() consultationType!: string;
  @ApiProperty() bullying!: boolean;
  @ApiProperty({ type: [String] }) abuseTypes!: string[];
  @ApiProperty(nullableString) mainAbuser!: string | null;
  @ApiProperty() abuseNotification!: boolean;
  @ApiProperty() afterHours!: boolean;
  @ApiProperty() summary!: string;
  @ApiProperty(nullableString) nextAction!: string | null;
  @ApiProperty() isIntake!: boolean;
}

export class RecordProgress {
  @ApiProperty({ description: 'Consultations on the case, all pages together' }) total!: number;
  @ApiProperty({ type: [RecordConsultation], description: 'Oldest first' }) items!: RecordConsultation[];
  @ApiProperty({ ...nullableString, description: 'Pass as `cursor` for the next consultations' })
  nextCursor!: string | null;
}

export class RecordTask {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty() status!: string;
  @ApiProperty() priority!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: Date;
  @ApiProperty({ type: UserRef }) assignee!: UserRef;
  @ApiProperty(nullableInstant) closedAt!: Date | null;
  @ApiProperty({ type: UserRef, nullable: true }) closedBy!: UserRef | null;
  @ApiProperty(nullableString) note!: string | null;
}

export class RecordOrganization {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class RecordConference {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ format: 'date-time' }) heldAt!: Date;
  @ApiProperty({ type: [UserRef] }) attendees!: UserRef[];
  @ApiProperty({ type: [RecordOrganization] }) attendeeOrganizations!: RecordOrganization[];
  @ApiProperty() decisions!: string;
  @ApiProperty(nullableInstant) nextReviewAt!: Date | null;
}

export class RecordReferral {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() direction!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ type: RecordOrganization }) organization!: RecordOrganization;
  @ApiProperty() status!: string;
  @ApiProperty() urgency!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() sharedInformation!: string;
  @ApiProperty(nullableInstant) sentAt!: Date | null;
  @ApiProperty(nullableInstant) responseDueAt!: Date | null;
  @ApiProperty(nullableInstant) respondedAt!: Date | null;
  @ApiProperty(nullableInstant) closedAt!: Date | null;
  @ApiProperty({ type: UserRef }) createdBy!: UserRef;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

/**
 * The child record (児童記録票) in one read, arranged as the national model
 * forms arrange it: the subject, the household with relationships, contacts
 * and addresses, the case header with registration and flags, the progress
 * record (経過記録) page by page, tasks, conferences with decisions, referrals.
 */
export class CaseRecordResponse {
  @ApiProperty({ type: RecordSubject }) subject!: RecordSubject;
  @ApiProperty({ type: RecordHousehold }) household!: RecordHousehold;
  @ApiProperty({ type: RecordCase }) case!: RecordCase;
  @ApiProperty({ type: RecordProgress }) progressRecord!: RecordProgress;
  @ApiProperty({ type: [RecordTask], description: 'By due time' }) tasks!: RecordTask[];
  @ApiProperty({ type: [RecordConference], description: 'Oldest first' }) conferences!: RecordConference[];
  @ApiProperty({ type: [RecordReferral], description: 'Oldest first' }) referrals!: RecordReferral[];
  @ApiProperty({ format: 'date-time', description: 'When this read was made (for the printout)' }) readAt!: Date;
}
