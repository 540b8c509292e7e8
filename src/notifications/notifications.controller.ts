import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
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

export class UnreadCountResponse {
  @ApiProperty({ description: "The caller's unread notifications", minimum: 0, example: 3 })
  unread!: number;
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

  /** The number of the caller's unread notifications, for a badge without listing them. */
  @Allow('notification.read')
  @Get('unread-count')
  @ApiOkResponse({ type: UnreadCountResponse })
  unreadCount(@CurrentActor() actor: Actor): Promise<UnreadCountResponse> {
    return this.notifications.unreadCount(actor);
  }

  @Allow('notification.read')
  @Post(':id/read')
  @HttpCode(200)
  read(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string) {
    return this.notifications.markRead(actor, id);
  }
}
