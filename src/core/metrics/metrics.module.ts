import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MetricsController } from './metrics.controller';
import { Metrics } from './metrics.service';

/** The Prometheus registry of this process; API and worker both count (README, "Metrics"). */
@Global()
@Module({ imports: [DiscoveryModule], providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}

/** `/metrics`, served by the API process only. */
@Module({ controllers: [MetricsController] })
export class MetricsEndpointModule {}
