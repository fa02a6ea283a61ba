export function money(amount: number, currency: string) {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    maximumFractionDigits: Math.abs(amount) < 100 ? 2 : 0,
  }).format(amount);
}

/** "+12%", "-3%". */
export function signedPercent(fraction: number) {
  return `${fraction > 0 ? '+' : ''}${Math.round(fraction * 100)}%`;
}

/** "5 h ago". */
export function ageOf(asOf: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(asOf)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
