import { Global, Module } from '@nestjs/common';
import { CaseHooks } from '../cases/case-hooks';
import { CasesModule } from '../cases/cases.module';
import { ConferencesService } from './conferences.service';
import { Reconciler } from './reconciler';
import { TaskJobs } from './task-jobs';
import { TaskRules } from './task-rules';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/**
 * Follow-up tasks and the rules the system runs on its own. Global because
 * the cases module calls back into it (CaseHooks) inside its transactions.
 */
@Global()
@Module({
  imports: [CasesModule],
  controllers: [TasksController],
  providers: [
    TaskRules,
    { provide: CaseHooks, useExisting: TaskRules },
    TasksService,
    ConferencesService,
    TaskJobs,
    Reconciler,
  ],
  exports: [CaseHooks, TaskRules],
})
export class TasksModule {}
