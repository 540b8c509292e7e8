/**
 * Dates and times as a counselor reads them (issue 17): 2026年11月23日(月),
 * times in JST whatever the browser's zone. The API sends UTC (api.md).
 */
const ZONE = 'Asia/Tokyo';
const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

function parts(date: Date): { y: number; m: number; d: number; w: number; hh: string; mm: string } {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  const w = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday);
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), w, hh: p.hour, mm: p.minute };
}

/** An instant's JST date: 2026年11月23日(月). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return formatCalendarDate(iso);
  const p = parts(new Date(iso));
  return `${p.y}年${p.m}月${p.d}日(${WEEKDAYS[p.w]})`;
}

/** A calendar date (a birth date, YYYY-MM-DD): no time zone to convert. */
export function formatCalendarDate(date: string | null | undefined): string {
  if (!date) return '—';
  const [y, m, d] = date.split('-').map(Number);
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${y}年${m}月${d}日(${WEEKDAYS[w]})`;
}

/** 2026年11月23日(月) 14:05 (JST). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const p = parts(new Date(iso));
  return `${p.y}年${p.m}月${p.d}日(${WEEKDAYS[p.w]}) ${p.hh}:${p.mm}`;
}

/** The value for an <input type="datetime-local"> in JST. */
export function toJstLocalInput(date: Date): string {
  const p = parts(date);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.y}-${pad(p.m)}-${pad(p.d)}T${p.hh}:${p.mm}`;
}

/** An <input type="datetime-local"> value read as JST, as ISO 8601 with its offset (api.md). */
export function fromJstLocalInput(value: string): string {
  return `${value.length === 16 ? `${value}:00` : value}+09:00`;
}

/** Age in whole years on today's JST date. */
export function ageOf(birthDate: string | null | undefined): number | null {
  if (!birthDate) return null;
  const now = parts(new Date());
  const [y, m, d] = birthDate.split('-').map(Number);
  return now.y - y - (now.m < m || (now.m === m && now.d < d) ? 1 : 0);
}

/** Time left until a deadline: 「残り 5時間12分」 or 「12時間超過」. */
export function timeLeft(dueAt: string, now = Date.now()): { text: string; hours: number } {
  const ms = new Date(dueAt).getTime() - now;
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const span = h > 0 ? `${h}時間${m}分` : `${m}分`;
  return { text: ms >= 0 ? `残り ${span}` : `${span}超過`, hours: ms / 3_600_000 };
}

/** A Japanese fiscal year by the calendar year it starts in (api.md): 2026 → 令和8年度. */
export function formatFiscalYear(year: number): string {
  const [era, n] = year >= 2019 ? ['令和', year - 2018] : ['平成', year - 1988];
  return `${era}${n === 1 ? '元' : n}年度`;
}
