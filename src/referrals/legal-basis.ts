import type { LegalBasis } from '../codes/code-lists';
import { DomainError } from '../core/errors/domain-error';
import type { Organization } from '../directory/organization.entity';

/** Bases on which personal information may go to an organization outside the council (domain.md). */
const NON_MEMBER_BASES: LegalBasis[] = ['consent_subject', 'consent_guardian', 'statutory', 'vital_interest'];

/**
 * Consent is enforced on the server (domain.md): information goes out to an
 * organization outside the regional council only with consent or another
 * basis, and `council_member` is a basis only for council members.
 */
export function checkLegalBasis(
  direction: string,
  basis: LegalBasis,
  org: Pick<Organization, 'councilMember' | 'name'>,
): void {
  if (basis === 'council_member' && !org.councilMember) {
    throw new DomainError(
      'consent_required',
      'The organization is not a member of the regional council (要対協): name another legal basis',
      {
        errors: [{ field: 'legalBasis', message: 'council_member is only valid for council members' }],
      },
    );
  }
  if (direction === 'outgoing' && !org.councilMember && !NON_MEMBER_BASES.includes(basis)) {
    throw new DomainError(
      'consent_required',
      'Sharing with an organization outside the council needs consent or another legal basis',
      {
        errors: [{ field: 'legalBasis', message: `must be one of: ${NON_MEMBER_BASES.join(', ')}` }],
      },
    );
  }
}
