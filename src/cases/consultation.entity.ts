import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One contact: a call, a visit, a letter, a chat session (domain.md, "Consultations"). */
@Entity('consultations')
export class Consultation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  caseId!: string;

  @Column('timestamptz')
  occurredAt!: Date;

  @Column('integer')
  durationMinutes!: number;

  @Column('uuid')
  counselorId!: string;

  @Column('text')
  channel!: string;

  @Column('text')
  route!: string;

  @Column('text')
  consultationType!: string;

  @Column('boolean')
  bullying!: boolean;

  @Column('text', { array: true })
  abuseTypes!: string[];

  @Column('text', { nullable: true })
  mainAbuser!: string | null;

  @Column('boolean')
  abuseNotification!: boolean;

  @Column('boolean')
  afterHours!: boolean;

  @Column('text')
  summary!: string;

  @Column('text', { nullable: true })
  nextAction!: string | null;

  @Column('boolean')
  isIntake!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
