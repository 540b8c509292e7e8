import { EntityManager } from 'typeorm';
import type { AddressChange } from '../codes/code-lists';
import { householdSearchKey } from './search-keys';

/**
 * The one way a household's address is set: `households.address` holds the
 * current one, and every address it ever had stays in `household_addresses`
 * (issue 13: moves are common and matter for which district is responsible),
 * with why it changed (intake, move, correction) and, for a move, the day.
 */
export async function setHouseholdAddress(
  m: EntityManager,
  householdId: string,
  change: { address: string; change: AddressChange; movedOn?: string | null; recordedBy: string },
): Promise<void> {
  await m.query(`UPDATE households SET address = $2, search_key = $3, updated_at = now() WHERE id = $1`, [
    householdId,
    change.address,
    householdSearchKey(change.address),
  ]);
  await m.query(
    `INSERT INTO household_addresses (household_id, address, change, moved_on, recorded_by) VALUES ($1, $2, $3, $4, $5)`,
    [householdId, change.address, change.change, change.movedOn ?? null, change.recordedBy],
  );
}
