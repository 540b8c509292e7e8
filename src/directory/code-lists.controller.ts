import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../access/decorators';
import { codeListsForApi } from '../codes/code-lists';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('code-lists')
export class CodeListsController {
  /** Every code list with `{ code, label: { ja, en } }`, the consultation type tree nested. */
  @Allow('directory.read')
  @Get()
  all() {
    return codeListsForApi();
  }
}
