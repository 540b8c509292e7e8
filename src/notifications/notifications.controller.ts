import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsOmittable } from '../core/http/validators';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { ListQuery } from '../core/http/pagination';
import { Notifications } from './notifications.service';

export class ListNotificationsQuery extends ListQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOmittable()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: Notifications) {}

  /** The caller's own notifications, newest first. */
  @Allow('notification.read')
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListNotificationsQuery) {
    return this.notifications.list(actor, query);
  }

  @Allow('notification.read')
  @Post(':id/read')
  @HttpCode(200)
  read(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string) {
    return this.notifications.markRead(actor, id);
  }
}
