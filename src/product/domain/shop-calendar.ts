/** Building a formatter is costly and every paid order needs one: one per zone, kept. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Calendar days as the shop sees them (SHOP_TIMEZONE), e.g. "2026-11-21". */
export function shopDay(at: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(at);
}

/** The last `days` shop days, today first. */
export function lastShopDays(now: Date, days: number, timeZone: string): string[] {
  const [y, m, d] = shopDay(now, timeZone).split('-').map(Number);
  return Array.from({ length: days }, (_, i) => new Date(Date.UTC(y, m - 1, d - i)).toISOString().slice(0, 10));
}

/** The widest window GET /products/top answers for, in shop days; the ranking keeps what it needs for it. */
export const RANKING_WINDOW_DAYS = 30;
