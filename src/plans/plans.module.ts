import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TasksModule } from '../tasks/tasks.module';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';
import { ServiceCatalog } from './service-catalog';
import { ServiceUses } from './service-uses.service';
import { ServicesController } from './services.controller';
import { UnplannedCases } from './unplanned-cases.jobs';

/**
 * Support plans and services (docs/domain.md): what the center does for a
 * family, and how often.
 */
@Module({
  imports: [AuditModule, NotificationsModule, CasesModule, TasksModule],
  controllers: [PlansController, ServicesController],
  providers: [PlansService, ServiceCatalog, ServiceUses, UnplannedCases],
  exports: [ServiceCatalog],
})
export class PlansModule {}
