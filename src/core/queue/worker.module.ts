import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WorkerService } from './worker.service';

@Module({ imports: [DiscoveryModule], providers: [WorkerService] })
export class WorkerModule {}
