import { applyDecorators } from '@nestjs/common';
import { ApiConflictResponse, ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';

/** A likely duplicate the caller may read: named as a case header (no names of people). */
export class NamedCandidate {
  @ApiProperty({ format: 'uuid', description: 'Send as `caseId` to add the consultation to it' })
  caseId!: string;

  @ApiProperty({ example: '2026-0043' })
  caseNumber!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  districtId!: string | null;

  @ApiProperty({ example: 'intake' })
  status!: string;
}

/** A likely duplicate the caller may not read: nothing about it but a token to add the consultation to it. */
export class MatchTokenCandidate {
  @ApiProperty({
    description:
      'Send as `matchToken` (instead of `caseId`) to add the consultation to that case: the answer is ids only. ' +
      'Opaque, usable only by the user it was given to, for 30 minutes.',
  })
  matchToken!: string;
}

/** The 409 of POST /intakes and of an incoming referral naming its subject (application/problem+json). */
export class PossibleDuplicateProblem {
  @ApiProperty({ example: 'https://tsunagu.example/problems/possible-duplicate' })
  type!: string;

  @ApiProperty({ example: 'Conflict' })
  title!: string;

  @ApiProperty({ example: 409 })
  status!: number;

  @ApiProperty()
  detail!: string;

  @ApiProperty({ enum: ['possible_duplicate'] })
  code!: 'possible_duplicate';

  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(NamedCandidate) }, { $ref: getSchemaPath(MatchTokenCandidate) }] },
  })
  candidates!: (NamedCandidate | MatchTokenCandidate)[];
}

/** Documents the 409 `possible_duplicate` of a route that runs the duplicate check. */
export const ApiPossibleDuplicate = () =>
  applyDecorators(
    ApiExtraModels(PossibleDuplicateProblem, NamedCandidate, MatchTokenCandidate),
    ApiConflictResponse({
      description: 'possible_duplicate: a likely duplicate exists (or another conflict, such as a closed case)',
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(PossibleDuplicateProblem) } } },
    }),
  );
