// RFC 3339 §5.6 date-times, the contract's `date-time` format: the shape by regex, then a real calendar
// date (RFC 3339 §5.7). Its own module so a caller that only checks a time (the intent query's `since`)
// loads no validator.

export const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const FIELDS = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
/** RFC 3339 §5.7: day within its month (Date.parse would roll 2024-02-31 into March), hour ≤ 23, minute ≤ 59, second ≤ 60. */
function realDate(s: string): boolean {
  const m = FIELDS.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec, oh, om] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as number[];
  const days = [31, isLeap(y!) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo! - 1];
  return days !== undefined && d! >= 1 && d! <= days && h! <= 23 && mi! <= 59 && sec! <= 60 && oh! <= 23 && om! <= 59;
}
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** The digit at `i`, or -1000 (so any sum holding it is negative). */
const digitAt = (s: string, i: number): number => { const c = s.charCodeAt(i) - 48; return c >= 0 && c <= 9 ? c : -1000; };
/** `2026-11-21T10:00:00Z` or `2026-11-21T10:00:00.000Z` (toISOString's shape, what every writer here sends): checked
 *  digit by digit, no regex and no Date.parse — restart validates two per stored intent. Other shapes: undefined. */
function canonicalRfc3339(s: string): boolean | undefined {
  const n = s.length;
  if ((n !== 20 && n !== 24) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58
    || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90 || (n === 24 && s.charCodeAt(19) !== 46)) return undefined;
  if (n === 24 && digitAt(s, 20) + digitAt(s, 21) + digitAt(s, 22) < 0) return undefined;
  const y = digitAt(s, 0) * 1000 + digitAt(s, 1) * 100 + digitAt(s, 2) * 10 + digitAt(s, 3), mo = digitAt(s, 5) * 10 + digitAt(s, 6), d = digitAt(s, 8) * 10 + digitAt(s, 9);
  const h = digitAt(s, 11) * 10 + digitAt(s, 12), mi = digitAt(s, 14) * 10 + digitAt(s, 15), sec = digitAt(s, 17) * 10 + digitAt(s, 18);
  if (y < 0 || mo < 1 || mo > 12 || d < 0 || h < 0 || mi < 0 || sec < 0 || sec === 60) return undefined;   // not digits, a month out of range, a leap second: the general path decides
  const days = mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]!;
  return d >= 1 && d <= days && h <= 23 && mi <= 59 && sec <= 59;
}
/** The general check (any RFC 3339 shape); isRfc3339 gives the same answer faster for the canonical shape. */
export const isRfc3339General = (s: string): boolean => realDate(s) && Number.isFinite(Date.parse(s));
export const isRfc3339 = (s: string): boolean => canonicalRfc3339(s) ?? isRfc3339General(s);
