import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export interface OrganizationContact {
  phone?: string;
  fax?: string;
  email?: string;
  address?: string;
  person?: string;
}

/** The directory of departments and agencies the center refers to and hears from. */
@Entity('organizations')
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  kind!: 'internal' | 'external';

  @Column('text')
  type!: string;

  /** Member of the regional council (要対協): may share information under 児童福祉法 第25条の3. */
  @Column('boolean')
  councilMember!: boolean;

  @Column('jsonb')
  contact!: OrganizationContact;

  @Column('boolean')
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
