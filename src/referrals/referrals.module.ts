import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TasksModule } from '../tasks/tasks.module';
import { ReferralDeadlines } from './referral-deadlines';
import { ReferralDeadlineJobs } from './referral-deadlines.jobs';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [AuditModule, NotificationsModule, CasesModule, TasksModule],
  controllers: [ReferralsController],
  providers: [ReferralsService, ReferralDeadlines, ReferralDeadlineJobs],
})
export class ReferralsModule {}
