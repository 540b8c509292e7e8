import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';
import { ServiceCatalog } from './service-catalog';
import { ServiceUses } from './service-uses.service';
import { ServicesController } from './services.controller';
import { UnplannedCases } from './unplanned-cases';

/**
 * Support plans and services (docs/domain.md): what the center does for a
 * family, and how often. Task rules, notifications and the audit log come
 * from their (global) modules.
 */
@Module({
  imports: [CasesModule],
  controllers: [PlansController, ServicesController],
  providers: [PlansService, ServiceCatalog, ServiceUses, UnplannedCases],
  exports: [ServiceCatalog],
})
export class PlansModule {}
