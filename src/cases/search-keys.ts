import { normalizeKana, searchKey } from '../core/text/normalize';

/**
 * The search keys of people and households (issue 13, "search that finds
 * the child"): every word a counselor may search by, each through
 * searchKey, joined by spaces with a space at each end. A trigram index
 * (pg_trgm) serves `LIKE '%q%'` for a query of three characters or more, and
 * the spaces let a shorter one (花子, 1-2 characters) match the start of a
 * word (`LIKE '% q%'`) on the same index.
 */
export function words(parts: (string | null | undefined)[]): string {
  const unique = [...new Set(parts.filter((p): p is string => !!p && p.trim() !== '').map(searchKey))];
  return ` ${unique.filter((w) => w !== '').join(' ')} `;
}

/** A person: names in kanji and kana, alone and as a full name, and the school or nursery (所属). */
export function personSearchKey(p: {
  familyName: string;
  givenName: string;
  familyNameKana?: string | null;
  givenNameKana?: string | null;
  school?: string | null;
}): string {
  const kana = (s: string | null | undefined) => (s ? normalizeKana(s) : null);
  return words([
    p.familyName,
    p.givenName,
    `${p.familyName}${p.givenName}`,
    kana(p.familyNameKana),
    kana(p.givenNameKana),
    p.familyNameKana && p.givenNameKana ? kana(`${p.familyNameKana}${p.givenNameKana}`) : null,
    p.school,
  ]);
}

/** A household: its current address. */
export const householdSearchKey = (address: string) => words([address]);

/**
 * The condition for `q` as SQL over persons and households (`:pattern`): a
 * part of any word for three characters or more, the start of a word below.
 */
export function searchPattern(q: string): string | null {
  const key = searchKey(q);
  if (key === '') return null;
  const escaped = key.replace(/[\\%_]/g, '\\$&');
  return [...key].length >= 3 ? `%${escaped}%` : `% ${escaped}%`;
}
