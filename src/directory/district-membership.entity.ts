import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MemberRole = 'member' | 'lead';

/** A counselor's membership of a district, with history (valid_to set when it ends). */
@Entity('district_members')
export class DistrictMember {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  districtId!: string;

  @Column('uuid')
  userId!: string;

  @Column('text')
  role!: MemberRole;

  @Column('timestamptz')
  validFrom!: Date;

  @Column('timestamptz', { nullable: true })
  validTo!: Date | null;
}

/** A supervisor's oversight of a district, with history. */
@Entity('district_supervisors')
export class DistrictSupervisor {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  districtId!: string;

  @Column('uuid')
  userId!: string;

  @Column('timestamptz')
  validFrom!: Date;

  @Column('timestamptz', { nullable: true })
  validTo!: Date | null;
}
