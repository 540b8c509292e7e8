import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';
import { Notifications } from './notifications.service';
import { Rescheduler } from './rescheduler';

@Module({
  controllers: [NotificationsController],
  providers: [Notifications, Rescheduler],
  exports: [Notifications, Rescheduler],
})
export class NotificationsModule {}
