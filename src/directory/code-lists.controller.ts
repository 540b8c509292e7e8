import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Allow } from '../access/decorators';
import { ApiCodeEntry, codeListsForApi, Label } from '../codes/code-lists';

class LabelView implements Label {
  @ApiProperty({ example: '来所' }) ja!: string;
  @ApiProperty({ example: 'Walk-in' }) en!: string;
}

class CodeEntryView implements ApiCodeEntry {
  @ApiProperty({ example: 'walk_in' }) code!: string;
  @ApiProperty({ type: LabelView }) label!: LabelView;
  @ApiProperty({ type: () => [CodeEntryView], required: false, description: 'Consultation types only: the subtypes' })
  children?: CodeEntryView[];
}

/** The lists' names are fixed in code, so the document names each one. */
const LIST_NAMES = Object.keys(codeListsForApi());

@ApiTags('directory')
@ApiBearerAuth()
@Controller('code-lists')
export class CodeListsController {
  /** Every code list with `{ code, label: { ja, en } }`, the consultation type tree nested. */
  @Allow('directory.read')
  @Get()
  @ApiOperation({ summary: 'Every code list with its Japanese and English labels' })
  @ApiExtraModels(CodeEntryView)
  @ApiOkResponse({
    description: 'Each list by name, in display order',
    schema: {
      type: 'object',
      required: LIST_NAMES,
      properties: Object.fromEntries(
        LIST_NAMES.map((name) => [name, { type: 'array', items: { $ref: getSchemaPath(CodeEntryView) } }]),
      ),
    },
  })
  all(): Record<string, ApiCodeEntry[]> {
    return codeListsForApi();
  }
}
