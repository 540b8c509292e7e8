import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Role } from '../access/roles';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  username!: string;

  @Column('text')
  displayName!: string;

  @Column('text', { nullable: true })
  email!: string | null;

  @Column('text', { array: true })
  roles!: Role[];

  @Column('text', { select: false })
  passwordHash!: string;

  @Column('boolean')
  active!: boolean;

  @Column('boolean')
  mustChangePassword!: boolean;

  @Column('integer')
  tokenVersion!: number;

  @Column('integer')
  failedLoginCount!: number;

  @Column('timestamptz', { nullable: true })
  failedLoginWindowStart!: Date | null;

  @Column('timestamptz', { nullable: true })
  lockedUntil!: Date | null;

  @Column('timestamptz', { nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
