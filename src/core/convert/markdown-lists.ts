import type { BlockToken } from '../breakdown/markdown.js';
import { plainText } from '../breakdown/markup.js';
import { namesCriteria, unitName } from '../breakdown/units.js';
import type { LineEdit } from './line-edits.js';

// Work written as plain list items under unit headings (`## Phase 1` then `1. Create the app`,
// `- **T001** Create the app`) or as bold step paragraphs (`**Step 1: Create the directory**`):
// each becomes a checkbox where it stands, nothing else changes. Lists under criteria, file lists
// and notes stay as they are.

const WORK_HEADING = /\b(?:tasks?|steps?|implementation|work|to-?dos?|plan)\b/i;
// Sections about the work, not the work: its dependencies, files, notes, context, summaries.
const NOT_WORK =
  /\b(?:depend|requir|prerequisite|risk|files?\b|notes?\b|context|reference|background|overview|summary|success|question|assumption|decision|document)/i;
// An item that is only a link (`[Task 3](./task-3.md)`, `[Spec](spec.md)`): a pointer, not work.
const LINK_ONLY = /^\s*\[[^\]]{1,300}\]\([^)\s]{1,500}\)\s*$/;
/** A label over a list (`**Files:**`, `Changes:`): the list is what the label says. By hand: a `\s*$` pattern is quadratic on a run of spaces. */
function isLabel(text: string): boolean {
  let end = text.trimEnd();
  if (end.endsWith('**') || end.endsWith('__')) end = end.slice(0, -2).trimEnd();
  return end.endsWith(':');
}
const MARKER = /^(\s*(?:[-+*]|\d+[.)])[ \t]+)/;
const BOX = /^\s*\[[^\]]?\]/;
const BOLD_STEP = /^(\s*)(\*\*(?:step|task)\s+\d+[^*\n]{0,200}\*\*)/i;

// What names an order of work outright, whatever else the heading says (`File list
// (implementation order)`).
const ORDER_OF_WORK = /implementation\s+order|order\s+of\s+(?:work|implementation)|execution\s+order/i;

export function isWorkHeading(text: string): boolean {
  const words = plainText(text);
  if (namesCriteria(words)) return false;
  if (unitName(words) !== undefined || ORDER_OF_WORK.test(words)) return true;
  return WORK_HEADING.test(words) && !NOT_WORK.test(words);
}

interface Unit {
  readonly line: number;
  /** The line where the unit's section ends (the next heading at its level or above). */
  end: number;
  readonly level: number;
  readonly title: string;
  /** The unit's `**Description**:` field, if it has one: the work in its own words. */
  description: string | undefined;
  items: number;
}

export function listEdits(tokens: readonly BlockToken[], lines: readonly string[]): LineEdit[] {
  const edits: LineEdit[] = [];
  const units: Unit[] = [];
  let unit: Unit | undefined;
  let work = false;
  let depth = 0;
  let quote = 0;
  // Whether the list that opens now stands under a label that says it is something else.
  let labelled = false;
  let skipping = false;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token) continue;
    if (token.type === 'heading_open') {
      const title = tokens[index + 1]?.content ?? '';
      const level = Number(token.tag.slice(1));
      work = isWorkHeading(title);
      // A heading at the unit's level or above ends it; one below it is its content (the unit is
      // then more than a single task).
      const at = token.map?.[0] ?? 0;
      for (const open of units) if (open.end === lines.length && level <= open.level && open.line < at) open.end = at;
      if (unit && level <= unit.level) unit = undefined;
      else if (unit) unit.items++;
      if (unitName(plainText(title))) {
        unit = { line: at, end: lines.length, level, title: plainText(title), description: undefined, items: 0 };
        units.push(unit);
      }
      labelled = false;
    } else if (token.type === 'blockquote_open') quote++;
    else if (token.type === 'blockquote_close') quote--;
    else if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
      if (depth === 0) skipping = labelled;
      depth++;
    } else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') {
      depth--;
      if (depth === 0) labelled = false;
    } else if (token.type === 'list_item_open' && depth === 1 && quote === 0) {
      const line = token.map?.[0] ?? 0;
      const source = lines[line] ?? '';
      const marker = MARKER.exec(source);
      const rest = marker ? source.slice(marker[0].length) : '';
      if (unit && BOX.test(rest)) unit.items++;
      if (!work || skipping || !marker || BOX.test(rest) || rest.trim() === '' || LINK_ONLY.test(rest)) continue;
      edits.push({ line, text: `${marker[1]}[ ] ${rest}` });
      if (unit) unit.items++;
    } else if (token.type === 'paragraph_open' && depth === 0 && quote === 0) {
      const line = token.map?.[0] ?? 0;
      const content = tokens[index + 1]?.content ?? '';
      labelled = isLabel(content) && !WORK_HEADING.test(plainText(content));
      const description = /^\s*\*\*description\*\*\s*:\s*(\S.*)$/im.exec(content);
      if (unit && description && unit.description === undefined) unit.description = (description[1] as string).trim();
      const step = BOLD_STEP.exec(lines[line] ?? '');
      if (!work || !step) continue;
      edits.push({ line, text: `${step[1]}- [ ] ${(lines[line] ?? '').slice(step[1]?.length ?? 0)}` });
      if (unit) unit.items++;
    }
  }
  // A unit with no items at all (its work in prose or code): one task, in its own words, at the
  // end of its section (right under the heading it would swallow the lines below as its text).
  for (const { end, title, description, items } of units) {
    if (items > 0) continue;
    let last = end - 1;
    while (last > 0 && (lines[last] ?? '').trim() === '') last--;
    edits.push({ line: last, text: `${lines[last] ?? ''}\n\n- [ ] ${description ?? title}\n` });
  }
  return edits;
}
