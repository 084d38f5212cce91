const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** "5 seconds ago", "3 minutes ago"; the exact time goes in a tooltip next to it. */
export function formatRelativeTime(
  iso: string,
  now: Date = new Date(),
): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) {
    return 'at an unknown time';
  }
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 5) {
    return 'just now';
  }
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const [unit, size] =
    UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? UNITS[UNITS.length - 1];
  return format.format(Math.trunc(seconds / size), unit);
}
