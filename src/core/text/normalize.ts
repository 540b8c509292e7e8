/**
 * Text normalization for matching, not for display: the stored originals
 * are kept as written, and these forms are what intake's duplicate check
 * (kana name + birth date, domain.md "one record per child") and district
 * suggestion compare.
 */

/** Whitespace of any width, and the zero-width characters that IMEs and copy-paste leave behind. */
const SPACES = /[\s\u200b-\u200d\u2060\ufeff]/gu;

/**
 * Characters people type for the long-vowel mark ー: ASCII and Unicode
 * hyphens and dashes, the minus sign, and the wave dashes (〜 ～). NFKC has
 * already turned half-width ｰ into ー and full-width － / ～ into - / ~.
 */
const LONG_VOWEL_LOOKALIKES = /[-~\u2010-\u2015\u2212\u301c]/gu;

/**
 * Name separators in foreign names written in kana (ジョン・スミス): treated
 * like spaces, so "ジョン・スミス" and "ジョン スミス" match. NFKC has already
 * turned half-width ･ into ・ and ＝ into =.
 */
const NAME_SEPARATORS = /[\u00b7\u30fb=]/gu;

/**
 * Hiragana (ぁ U+3041 … ゖ U+3096, including ゔ U+3094) and the iteration
 * marks ゝゞ sit exactly 0x60 below their katakana counterparts.
 */
const HIRAGANA = /[\u3041-\u3096\u309d\u309e]/gu;

/**
 * Kana name → full-width katakana without spaces, so that "ﾀﾅｶ", "たなか",
 * "タナカ" and "タ ナカ" all give "タナカ":
 *
 * 1. the spacing voiced marks ゛゜ become combining marks (NFKC would turn
 *    them into a space plus a combining mark, which never composes);
 * 2. NFKC: half-width katakana become full-width and a following half-width
 *    ﾞ/ﾟ composes with it (ｶﾞ → ガ, ﾊﾟ → パ, ｳﾞ → ヴ); か + ゛ → が;
 * 3. hiragana → katakana (ゔ → ヴ);
 * 4. dash-like characters → the long-vowel mark ー (ｰ, -, ‐, —, −, 〜 …);
 * 5. spaces of any width and name separators (・, =) are removed.
 *
 * Spelling variants (サトウ / サトー, ヂ / ジ) are left alone: they are
 * different kana, and folding them would merge different people.
 */
export function normalizeKana(s: string): string {
  return s
    .replace(/\u309b/gu, '\u3099')
    .replace(/\u309c/gu, '\u309a')
    .normalize('NFKC')
    .replace(HIRAGANA, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
    .replace(LONG_VOWEL_LOOKALIKES, 'ー')
    .replace(NAME_SEPARATORS, '')
    .replace(SPACES, '');
}

/**
 * Hyphen-like characters that appear between the numbers of a Japanese
 * address (1-2-3, １－２－３, 1ー2ー3 typed with the IME, 1−2…). After NFKC
 * the full-width hyphen-minus is already "-" and half-width ｰ is "ー".
 */
const ADDRESS_HYPHENS = /(?<=\d)[-\u2010-\u2015\u2212\u30fc\uff0d\ufe63](?=\d)/gu;

/**
 * The small kana and particles that place names write several ways between
 * two kanji: 桜ヶ丘 = 桜ケ丘 = 桜ヵ丘 = 桜カ丘 = 桜が丘 (folded to ケ), and
 * 井之頭 = 井の頭 = 井ノ口 (folded to の). Only between kanji, so that kana
 * words (カナ, ケーキ, ノート) are left alone.
 */
const KE_BETWEEN_KANJI = /(?<=\p{Script=Han})[ヶケヵカがガ](?=\p{Script=Han})/gu;
const NO_BETWEEN_KANJI = /(?<=\p{Script=Han})[之のノ](?=\p{Script=Han})/gu;

/** Folds the place-name spellings above; 之 is itself a kanji, so a run like 井之頭 folds too. */
export function foldPlaceNameVariants(s: string): string {
  return s.replace(KE_BETWEEN_KANJI, 'ケ').replace(NO_BETWEEN_KANJI, 'の');
}

/**
 * Address → a form for comparison: NFKC (full-width digits and letters
 * become half-width, half-width kana full-width), all whitespace removed
 * (including the full-width space U+3000), hyphen-like characters between
 * digits unified to "-", and the place-name variants folded (桜ヶ丘 =
 * 桜ケ丘 = 桜が丘). Kanji numerals are not converted (一丁目 stays 一丁目);
 * matchesArea and searchKey deal with 丁目.
 */
export function normalizeAddress(s: string): string {
  return foldPlaceNameVariants(s.normalize('NFKC').replace(SPACES, '').replace(ADDRESS_HYPHENS, '-'));
}

/**
 * A phone number as typed → the form a phone dials: NFKC (full-width digits,
 * ＋ and （） become ASCII), dash-like characters (‐, −, ー typed with the IME)
 * become "-", runs of spaces one space, trimmed.
 */
export function normalizePhone(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212\u30fc]/gu, '-')
    .replace(/\s+/gu, ' ')
    .trim();
}

const POSTAL_CODE = /^〒?(\d{3})-?(\d{4})$/u;

const KANJI_DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 一 … 九十九 → 1 … 99; undefined for anything else. */
function kanjiNumberValue(s: string): number | undefined {
  const m = /^(?:([二三四五六七八九]?)十)?([一二三四五六七八九]?)$/u.exec(s);
  if (!m || s === '') return undefined;
  const tens = s.includes('十') ? (m[1] ? KANJI_DIGITS.indexOf(m[1]) : 1) : 0;
  return tens * 10 + (m[2] ? KANJI_DIGITS.indexOf(m[2]) : 0);
}

/** 1 … 99 → 一 … 九十九. */
function kanjiNumber(n: number): string {
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const tensPart = tens === 0 ? '' : tens === 1 ? '十' : `${KANJI_DIGITS[tens]}十`;
  return tensPart + (ones === 0 ? '' : KANJI_DIGITS[ones]);
}

/**
 * The ways an address may spell a 丁目 area: 中央一丁目 is also written
 * 中央1丁目, and in the block form 中央1-2-3 (1丁目2番3号).
 */
function chomeSpellings(area: string): string[] {
  const m = /^(.+?)([0-9]+|[〇一二三四五六七八九十]+)丁目$/u.exec(area);
  if (!m) return [area];
  const [, town, number] = m;
  const n = /^[0-9]+$/u.test(number) ? Number(number) : kanjiNumberValue(number);
  if (n === undefined || n < 1 || n > 99) return [area];
  return [`${town}${kanjiNumber(n)}丁目`, `${town}${n}丁目`, `${town}${n}-`];
}

/**
 * Whether an address lies in a district area. An area is either
 *
 * - a postal code ("123-4567", "1234567", optionally with 〒): matches when
 *   the address contains that code, with or without the hyphen or 〒, not
 *   as part of a longer run of digits; or
 * - a town name (町名: "中央町", "中央一丁目"): matches when the address
 *   contains it. A 丁目 area also matches its other spellings (中央1丁目,
 *   and the block form 中央1-2-3).
 *
 * Both sides go through normalizeAddress (it is idempotent, so passing an
 * already normalized address is fine). Town names match as substrings, so
 * "中央町" also matches "新中央町": a caller choosing among areas should
 * prefer the longest match.
 */
export function matchesArea(normalizedAddress: string, area: string): boolean {
  const address = normalizeAddress(normalizedAddress);
  const target = normalizeAddress(area);
  if (target === '' || target === '〒') return false;
  const postal = POSTAL_CODE.exec(target);
  if (postal) {
    return new RegExp(`(?<![\\d-])${postal[1]}-?${postal[2]}(?![\\d-])`, 'u').test(address);
  }
  return chomeSpellings(target).some((spelling) => address.includes(spelling));
}

/** 一丁目, 1丁目, ... and 二番, 2番地, 3号 → the block form 1-2-3, so that every spelling of an address compares equal. */
function blockForm(s: string): string {
  return s
    .replace(/([〇一二三四五六七八九十]+)(?=丁目|番|号)/gu, (n) => String(kanjiNumberValue(n) ?? n))
    .replace(/(\d+)(?:丁目|番地?)(?=\d)/gu, '$1-')
    .replace(/(\d+)(?:丁目|番地?)/gu, '$1-')
    .replace(/(\d+)号/gu, '$1');
}

/**
 * Any text a counselor searches for (a name in kanji or kana, a school, part
 * of an address) → the form the search keys are stored in, so that the key
 * and the query meet whatever was typed: NFKC (full and half width), hiragana
 * as katakana, no spaces, dashes after katakana as ー and between digits as
 * "-", the place-name variants folded (桜ヶ丘, 井之頭) and 丁目/番/号 in the
 * block form (中央一丁目2番3号 = 中央1-2-3).
 */
export function searchKey(s: string): string {
  const text = s
    .normalize('NFKC')
    .replace(HIRAGANA, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
    .replace(SPACES, '')
    .replace(/(?<=[\u30a1-\u30fa\u30fc])[-~\u2010-\u2015\u2212\u301c]/gu, 'ー')
    .replace(ADDRESS_HYPHENS, '-');
  return blockForm(foldPlaceNameVariants(text)).toLowerCase();
}
