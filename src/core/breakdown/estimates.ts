// How long a unit or a task is expected to take, as breakdowns write it: a field
// (`Estimate: 30m`, `Duration: 2h`, `**Effort**: 1.5 hours`) on a line of its own, or a
// parenthesis in a heading or a task's title (`(~45 min)`, `(est. 2h)`, `(estimate: 1d)`). Only
// the scheduler reads it, to start the longest remaining path first: a misread estimate orders
// work differently, it never starts work early.

/** Minutes in a working day and week: a `1d` estimate is a day of work, not 24 hours. */
const DAY = 8 * 60;
const UNITS: readonly [RegExp, number][] = [
  [/^(?:m|mins?|minutes?)$/i, 1],
  [/^(?:h|hrs?|hours?)$/i, 60],
  [/^(?:d|days?)$/i, DAY],
  [/^(?:w|wks?|weeks?)$/i, 5 * DAY],
];
// A number and its unit, several in a row (`1h 30m`); bounded, so any text stays linear.
const PART = /(\d{1,4}(?:\.\d{1,2})?)\s{0,3}([a-z]{1,7})(?![a-z])/giy;
const APPROXIMATELY = /^(?:~|≈|about\s|approx\.?\s|est\.?\s|estimated?\s*:?)?\s{0,3}/iy;

/** At most this many parts (`1w 2d 3h`), and a year of working days: more is no estimate. */
const MAX_PARTS = 4;
export const MAX_ESTIMATE_MINUTES = 52 * 5 * DAY;

/**
 * The minutes `text` states from its start (`30m`, `~2 h`, `1h30m`, `1.5 hours`), and how many
 * characters that took; undefined when it does not start with a duration.
 */
export function readDuration(text: string): { minutes: number; length: number } | undefined {
  APPROXIMATELY.lastIndex = 0;
  APPROXIMATELY.test(text);
  let at = APPROXIMATELY.lastIndex;
  let minutes = 0;
  let parts = 0;
  while (parts < MAX_PARTS) {
    PART.lastIndex = at;
    const match = PART.exec(text);
    const unit = match && UNITS.find(([pattern]) => pattern.test(match[2] as string));
    if (!match || !unit) break;
    minutes += Number(match[1]) * unit[1];
    parts++;
    at = PART.lastIndex;
    while (text[at] === ' ' || text[at] === ',') at++;
  }
  if (parts === 0) return undefined;
  return { minutes: Math.min(Math.round(minutes), MAX_ESTIMATE_MINUTES), length: at };
}

const FIELD =
  /^\s*(?:[*_]{1,2})?(?:estimated?|estimated\s+time|duration|effort|time\s+estimate)(?:[*_]{1,2})?\s*:\s*(?:[*_]{1,2}\s*)?/i;

/** A line that is an estimate field: its minutes, if the value is a duration. */
export function estimateField(line: string): number | undefined {
  const field = FIELD.exec(line);
  if (!field) return undefined;
  const value = readDuration(line.slice(field[0].length));
  return value?.minutes;
}

const OPEN = /\(\s{0,3}(?:~|≈|est\.?\s|estimated?\s*:?|duration\s*:|effort\s*:)?\s{0,3}(?=\d)/iy;

/** An estimate in parentheses anywhere in a heading or a title: `(~45 min)`, `(est. 2h)`. */
export function parentheticalEstimate(text: string): number | undefined {
  for (let open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
    OPEN.lastIndex = open;
    if (!OPEN.test(text)) continue;
    const rest = text.slice(OPEN.lastIndex, OPEN.lastIndex + 40);
    const value = readDuration(rest);
    if (value && rest.slice(value.length).trimStart().startsWith(')')) return value.minutes;
  }
  return undefined;
}
