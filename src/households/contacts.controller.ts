import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { uuidParam } from '../core/http/validation';
import { ContactsService } from './contacts.service';
import {
  ContactDetailsResponse,
  ContactPointResponse,
  CreateContactDto,
  MoveDto,
  MoveResponse,
} from './dto/contacts.dto';

/** Contact details of the people on a case and the household's moves (issue 13). Never for staff. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases/:id')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  /** Phone numbers and e-mail addresses in use, and every address the household has had. Audited. */
  @Allow('case.read')
  @Get('contacts')
  @ApiOperation({ summary: "The case's people's phone numbers and e-mail addresses, and the household's addresses" })
  @ApiOkResponse({ type: ContactDetailsResponse })
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<ContactDetailsResponse> {
    return this.contacts.get(actor, id);
  }

  @Allow('case.edit')
  @Post('contacts')
  @ApiOperation({ summary: 'Add a phone number or e-mail address of a person on the case' })
  @ApiCreatedResponse({ type: ContactPointResponse })
  add(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: CreateContactDto,
  ): Promise<ContactPointResponse> {
    return this.contacts.add(actor, id, dto);
  }

  /** Ends the use of a contact point; it stays on record for the audit trail. */
  @Allow('case.edit')
  @Delete('contacts/:contactId')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the use of a contact point (it stays on record)' })
  @ApiNoContentResponse()
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Param('contactId', uuidParam) contactId: string,
  ): Promise<void> {
    await this.contacts.remove(actor, id, contactId);
  }

  /** The household moved (転居): a new current address, the old kept, and the district it now lies in. */
  @Allow('case.edit')
  @Post('moves')
  @ApiOperation({ summary: 'Record that the household moved' })
  @ApiCreatedResponse({ type: MoveResponse })
  move(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string, @Body() dto: MoveDto): Promise<MoveResponse> {
    return this.contacts.move(actor, id, dto);
  }
}
