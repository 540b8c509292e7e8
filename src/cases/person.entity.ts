import { BeforeInsert, BeforeUpdate, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { personSearchKey } from './search-keys';

/** A child, an expectant mother, or someone in their household. */
@Entity('persons')
export class Person {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  familyName!: string;

  @Column('text')
  givenName!: string;

  @Column('text', { nullable: true })
  familyNameKana!: string | null;

  @Column('text', { nullable: true })
  givenNameKana!: string | null;

  /** normalizeKana(family + given): the duplicate check and kana search use it. */
  @Column('text', { nullable: true })
  nameKanaKey!: string | null;

  @Column('date', { nullable: true })
  birthDate!: string | null;

  @Column('date', { nullable: true })
  expectedDueDate!: string | null;

  @Column('text', { nullable: true })
  sex!: string | null;

  @Column('text', { nullable: true })
  school!: string | null;

  /** Names and school as search words (search-keys.ts); kept in step on every save. */
  @Column('text')
  searchKey!: string;

  @BeforeInsert()
  @BeforeUpdate()
  protected keepSearchKey(): void {
    this.searchKey = personSearchKey(this);
  }
}

@Entity('households')
export class Household {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  address!: string;
}

@Entity('household_members')
export class HouseholdMember {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  householdId!: string;

  @Column('uuid')
  personId!: string;

  @Column('text')
  relationship!: string;
}
