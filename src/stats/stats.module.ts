import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { StatsExportJobs } from './exports.jobs';
import { StatsExports } from './exports.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

@Module({
  imports: [AuditModule],
  controllers: [StatsController],
  providers: [StatsService, StatsExports, StatsExportJobs],
  exports: [StatsService],
})
export class StatsModule {}
