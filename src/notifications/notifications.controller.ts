import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiResult } from '../core/http/openapi';
import { IsIn } from 'class-validator';
import { IsOmittable } from '../core/http/validators';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { ListQuery, Page } from '../core/http/pagination';
import { Notifications, NotificationView } from './notifications.service';

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
  @ApiOperation({ summary: 'Your notifications, newest first' })
  @ApiPage(NotificationView)
  list(@CurrentActor() actor: Actor, @Query() query: ListNotificationsQuery): Promise<Page<NotificationView>> {
    return this.notifications.list(actor, query);
  }

  /** The number of the caller's unread notifications, for a badge without listing them. */
  @Allow('notification.read')
  @Get('unread-count')
  @ApiOperation({ summary: 'How many of your notifications are unread' })
  @ApiResult(UnreadCountResponse)
  unreadCount(@CurrentActor() actor: Actor): Promise<UnreadCountResponse> {
    return this.notifications.unreadCount(actor);
  }

  @Allow('notification.read')
  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of your notifications read' })
  @ApiResult(NotificationView)
  read(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<NotificationView> {
    return this.notifications.markRead(actor, id);
  }
}
