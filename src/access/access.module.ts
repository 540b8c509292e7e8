import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { ActorService } from './actor.service';

@Global()
@Module({
  providers: [ActorService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [ActorService],
})
export class AccessModule {}
