import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CasesModule } from '../cases/cases.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ConferencesService } from './conferences.service';
import { FollowUpRules } from './follow-up-rules';
import { Reconciler } from './reconciler.jobs';
import { SafetyChecks } from './safety-checks';
import { TaskHandover } from './task-handover';
import { TaskFactory } from './task-factory';
import { TaskJobs } from './task.jobs';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** Follow-up tasks and the rules the system runs on its own (they hear of cases through domain events). */
@Module({
  imports: [AuditModule, AuthModule, NotificationsModule, CasesModule],
  controllers: [TasksController],
  providers: [
    TaskFactory,
    TaskHandover,
    SafetyChecks,
    FollowUpRules,
    TasksService,
    ConferencesService,
    TaskJobs,
    Reconciler,
  ],
  exports: [TaskFactory, FollowUpRules, SafetyChecks, TasksService],
})
export class TasksModule {}
