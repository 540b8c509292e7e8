import { Module } from '@nestjs/common';
import { StatsExports } from './exports.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

@Module({
  controllers: [StatsController],
  providers: [StatsService, StatsExports],
  exports: [StatsService],
})
export class StatsModule {}
