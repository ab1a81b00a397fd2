import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBreakdown } from '../../src/core/breakdown/parse.js';
import { convertBreakdown } from '../../src/core/convert/convert.js';
import type { Breakdown } from '../../src/core/model.js';

// Real breakdowns, written by planning tools and by people (test/fixtures/real-world, each with
// its source beside it), and how a careful reader reads each: the streams with what they wait
// for and how many tasks they hold (and which are a person's steps), the checklists that are
// criteria or a summary, the lines of the warnings, whether the document is refused, and for a
// refused one what `execution-coordinator convert` makes of it. The comment on each says what a
// careful reader sees there.

const DIR = new URL('../fixtures/real-world/', import.meta.url);

function streams(plan: Breakdown): string[] {
  return plan.streams.map((s) => {
    const persons = s.tasks.filter((t) => t.person).map((t) => t.id);
    const after = [...s.dependsOn, ...(s.external ?? [])].join(', ') || '∅';
    return `${s.id} ← ${after} · ${s.tasks.length}${persons.length > 0 ? ` · person ${persons.join(' ')}` : ''}`;
  });
}

/** The document's reading; for one refused, what `convert` makes of it, read again. */
function reading(file: string) {
  const body = readFileSync(new URL(file, DIR), 'utf8');
  const plan = parseBreakdown(body);
  const refused = plan.errors.length > 0;
  const conversion = refused ? convertBreakdown(body) : undefined;
  const again = conversion ? parseBreakdown(conversion.text) : undefined;
  return {
    streams: streams(plan),
    criteria: plan.criteria.length,
    summary: plan.summary.length,
    warnings: plan.warnings.map((w) => w.line),
    refused,
    converted:
      conversion && again
        ? {
            kinds: [...conversion.kinds],
            streams: streams(again),
            warnings: again.warnings.map((w) => w.line),
            refused: again.errors.length > 0,
          }
        : null,
  };
}

const CORPUS: Record<string, ReturnType<typeof reading>> = {
  'ccpm-simple-proxy-4-analysis.md': {
    // Four `## Stream X` units (lines 10–31) with no checkboxes, ordered A → {B, C} → D in prose and front
    // matter: refused (tasks must be checkboxes), and the unread order is pointed out.
    // Converted: each stream's `**Description**` becomes its one task; A → {B, C} → D as stated, C also
    // waiting on issues #2 and #3.
    streams: [],
    criteria: 0,
    summary: 0,
    warnings: [5, 13, 20, 27, 34],
    refused: true,
    converted: {
      kinds: ['list items under unit headings'],
      streams: ['A ← ∅ · 1', 'B ← A · 1', 'C ← A, #2, #3 · 1', 'D ← A, B, C · 1'],
      warnings: [5],
      refused: false,
    },
  },
  'ccpm-simple-proxy-harmony-epic.md': {
    // Nothing to run here: the “Task Breakdown Preview” (72) is a preview, and “Tasks Created” (135–140) are
    // other issues (#2–#7): no tasks, so refused.
    streams: [],
    criteria: 12,
    summary: 0,
    warnings: [128, 135],
    refused: true,
    converted: null,
  },
  'ccpm-wallet-ai-006-standardize-imports.md': {
    // All 8 checkboxes are acceptance criteria; the steps are `### Step N` headings without checkboxes:
    // refused, criteria listed.
    // Converted: the three `### Step` units in order, their items as tasks.
    streams: [],
    criteria: 8,
    summary: 0,
    warnings: [11, 148],
    refused: true,
    converted: {
      kinds: ['list items under unit headings'],
      streams: [
        'step-1-fix-chat_providerdart-imports-example-of-mixed-style ← ∅ · 1',
        'step-2-apply-convention-to-all-files ← step-1-fix-chat_providerdart-imports-example-of-mixed-style · 3',
        'step-3-verify-no-functional-changes ← step-2-apply-convention-to-all-files · 2',
      ],
      warnings: [11, 151],
      refused: false,
    },
  },
  'cursor-english-quiz-friends-page.plan.md': {
    // The work is a table of steps (95–104) under “implementation order”: refused, the order section and the
    // component diagram pointed out.
    // Converted: the table's eight steps become the checklist, in their order.
    streams: [],
    criteria: 0,
    summary: 0,
    warnings: [23, 92],
    refused: true,
    converted: {
      kinds: ['tables of steps'],
      streams: ['5-file-list-implementation-order ← ∅ · 8'],
      warnings: [23, 92],
      refused: false,
    },
  },
  'cursor-open-rpg-perception-engine.plan.md': {
    // The work is ten YAML todos with dependencies in the front matter: refused, and the front matter pointed
    // out (its `key: value` lines are not taken for headings).
    // Converted: the ten todos become units with the dependencies they state (a diamond, then a chain).
    streams: [],
    criteria: 0,
    summary: 0,
    warnings: [4, 70],
    refused: true,
    converted: {
      kinds: ['front matter todos'],
      streams: [
        'create-perception-engine-class ← ∅ · 1',
        'implement-distance-calculation ← create-perception-engine-class · 1',
        'implement-direction-calculation ← create-perception-engine-class · 1',
        'implement-entity-processing ← implement-distance-calculation, implement-direction-calculation · 1',
        'implement-summary-generation ← implement-entity-processing · 1',
        'implement-token-estimation ← implement-summary-generation · 1',
        'implement-token-budget-enforcement ← implement-token-estimation · 1',
        'implement-generate-snapshot ← implement-token-budget-enforcement · 1',
        'create-index-exports ← implement-generate-snapshot · 1',
        'verify-build-and-types ← create-index-exports · 1',
      ],
      warnings: [55],
      refused: false,
    },
  },
  'gsd-cipher-box-06.3-05-checkpoint-plan.md': {
    // The work is in `<task>` blocks; its 19 checkboxes are a person's verification (“Login and Layout
    // Verification”): criteria; refused.
    // Converted: three `<task>` units in order, the checkpoint a person's step.
    streams: [],
    criteria: 19,
    summary: 0,
    warnings: [6],
    refused: true,
    converted: {
      kinds: ['<task> blocks'],
      streams: [
        'task-1-run-application-and-test-core-functionality ← ∅ · 1',
        'task-2-a-person-checks-the-work ← task-1-run-application-and-test-core-functionality · 1 · person task-2-a-person-checks-the-work.1',
        'task-3-apply-style-fixes-if-needed ← task-2-a-person-checks-the-work · 1',
      ],
      warnings: [6],
      refused: false,
    },
  },
  'gsd-dahan-codex-roadmap.md': {
    // Phases with `**Depends on**:` fields inside paragraphs, read as stated (2.1 and 3 after 2, 4 after 3, 5
    // after 3.6, 8 after 6.2); the phase list at the top is a summary; phase 7 holds only `07-01: TBD`, a
    // placeholder, so it does not run (warned).
    streams: [
      'phase-1-foundation--authentication ← ∅ · 7',
      'phase-2-spirit-library ← phase-1-foundation--authentication · 6',
      'phase-21-spirit-library-polish-inserted ← phase-2-spirit-library · 6',
      'phase-3-spirit-detail--board ← phase-2-spirit-library · 6',
      'phase-31-spirit-board-polish-inserted ← phase-3-spirit-detail--board · 7',
      'phase-32-spirit-board-refinements-inserted ← phase-31-spirit-board-polish-inserted · 10',
      'phase-33-spirit-board-final-polish-inserted ← phase-32-spirit-board-refinements-inserted · 2',
      'phase-36-simplify-spirit-board--text-openings-inserted ← phase-33-spirit-board-final-polish-inserted · 8',
      'phase-4-pwa--offline ← phase-3-spirit-detail--board · 9',
      'phase-5-text-opening-management ← phase-36-simplify-spirit-board--text-openings-inserted · 18',
      'phase-6-user-data ← phase-4-pwa--offline · 10',
      'phase-61-cleanup-thedahancodex-inserted ← phase-6-user-data · 3',
      'phase-62-fix-code-duplication-inserted ← phase-61-cleanup-thedahancodex-inserted · 7',
      'phase-8-spirit--aspect-data-scraping ← phase-62-fix-code-duplication-inserted · 6',
    ],
    criteria: 0,
    summary: 16,
    warnings: [437, 449],
    refused: false,
    converted: null,
  },
  'gsd-ssherpa-06-04-plan.md': {
    // Two `<task type="auto">` blocks, no checkboxes: refused; the front matter's `depends_on` pointed out.
    // Converted: the two `<task>` blocks, task 2 after task 1.
    streams: [],
    criteria: 0,
    summary: 0,
    warnings: [6],
    refused: true,
    converted: {
      kinds: ['<task> blocks'],
      streams: [
        'task-1-multi-backend-aggregator ← ∅ · 1',
        'task-2-tui-status-bar-backend-integration-in-model-and-maingo-wiring ← task-1-multi-backend-aggregator · 1',
      ],
      warnings: [6],
      refused: false,
    },
  },
  'issue-gutenberg-classic-block.md': {
    // A tracking issue: every item is a link to another issue, tracked there: refused as having no tasks.
    streams: [],
    criteria: 12,
    summary: 0,
    warnings: [4, 17],
    refused: true,
    converted: null,
  },
  'issue-kie-vscode-extensions-epic.md': {
    // An epic whose three (done) items are other issues: no tasks.
    streams: [],
    criteria: 3,
    summary: 0,
    warnings: [5],
    refused: true,
    converted: null,
  },
  'issue-rust-refcell-take.md': {
    // Two steps, the first done: one stream, as a person reads it.
    streams: ['steps ← ∅ · 2'],
    criteria: 0,
    summary: 0,
    warnings: [],
    refused: false,
    converted: null,
  },
  'issue-typer99-v1-roadmap.md': {
    // A roadmap of bare issue numbers (#2–#6): no tasks here.
    streams: [],
    criteria: 5,
    summary: 0,
    warnings: [4],
    refused: true,
    converted: null,
  },
  'issue-vega-close-settings-page.md': {
    // Acceptance criteria (9–11) are criteria; the five tasks run in order, and the two reviews by people
    // (16, 18) are a person's steps: the stream stops before each.
    streams: ['tasks ← ∅ · 5 · person tasks.2 tasks.4'],
    criteria: 3,
    summary: 0,
    warnings: [],
    refused: false,
    converted: null,
  },
  'kiro-goal-mandala-vitest4.md': {
    // Kiro numbering written flat: `1.1` under `1.` folds into it (13 tasks); `[-] 8.` is not a checkbox
    // GitHub draws (warned); 8.1–8.3 say the user does them by hand: a person's steps.
    streams: ['タスク ← ∅ · 13 · person 8.1 8.2 8.3'],
    criteria: 0,
    summary: 0,
    warnings: [180],
    refused: false,
    converted: null,
  },
  'kiro-kythira-protobuf-serializer.md': {
    // Nine tasks with indented subtasks, all done: nothing runs.
    streams: ['detailed-task-list ← ∅ · 9'],
    criteria: 0,
    summary: 0,
    warnings: [],
    refused: false,
    converted: null,
  },
  'kiro-spaceweirdos-warband-list.md': {
    // Eleven tasks once the flat `N.M` items fold under their parents; all done.
    streams: ['completed-tasks ← ∅ · 11'],
    criteria: 0,
    summary: 0,
    warnings: [],
    refused: false,
    converted: null,
  },
  'prp-hsasongbook-setlist-add-songs.md': {
    // Every checkbox is a success criterion or the final validation checklist (49); the tasks are in a YAML
    // block: refused.
    // Converted: the seven `Task N:` entries, in their numbered order.
    streams: [],
    criteria: 49,
    summary: 0,
    warnings: [443],
    refused: true,
    converted: {
      kinds: ['YAML lists of tasks'],
      streams: [
        'task-1-create-srcfeaturessharedhooksusedebouncets ← ∅ · 1',
        'task-2-create-srcfeaturessharedhooksusekeyboardnavigationts ← task-1-create-srcfeaturessharedhooksusedebouncets · 1',
        'task-3-create-srcfeaturessetlistshooksusearrangementsearchts ← task-2-create-srcfeaturessharedhooksusekeyboardnavigationts · 1',
        'task-4-create-srcfeaturessetlistscomponentsaddarrangementmodaltsx ← task-3-create-srcfeaturessetlistshooksusearrangementsearchts · 1',
        'task-5-modify-srcfeaturessetlistshooksusesetlistsongsts ← task-4-create-srcfeaturessetlistscomponentsaddarrangementmodaltsx · 1',
        'task-6-modify-srcfeaturessetlistscomponentssetlistsongitemtsx ← task-5-modify-srcfeaturessetlistshooksusesetlistsongsts · 1',
        'task-7-modify-srcfeaturessetlistspagessetlistpagetsx ← task-6-modify-srcfeaturessetlistscomponentssetlistsongitemtsx · 1',
      ],
      warnings: [],
      refused: false,
    },
  },
  'prp-shopwave-backend-mvp.md': {
    // Criteria only (19); ten ordered tasks in a YAML block under “Implementation Order”: refused, the order
    // pointed out.
    // Converted: the ten `Task N:` entries, in their numbered order.
    streams: [],
    criteria: 19,
    summary: 0,
    warnings: [241],
    refused: true,
    converted: {
      kinds: ['YAML lists of tasks'],
      streams: [
        'task-1-project-setup-and-configuration ← ∅ · 1',
        'task-2-security-infrastructure ← task-1-project-setup-and-configuration · 1',
        'task-3-core-entities-and-repositories ← task-2-security-infrastructure · 1',
        'task-4-service-layer-implementation ← task-3-core-entities-and-repositories · 1',
        'task-5-controller-layer-with-openapi-documentation ← task-4-service-layer-implementation · 1',
        'task-6-payment-provider-integration ← task-5-controller-layer-with-openapi-documentation · 1',
        'task-7-statistics-and-analytics ← task-6-payment-provider-integration · 1',
        'task-8-notification-system ← task-7-statistics-and-analytics · 1',
        'task-9-testing-infrastructure ← task-8-notification-system · 1',
        'task-10-documentation-and-readme ← task-9-testing-infrastructure · 1',
      ],
      warnings: [241],
      refused: false,
    },
  },
  'speckit-aikit-rust-cli.md': {
    // Eleven phases in numbered order (the user stories may run side by side after Phase 2, per the prose,
    // which is pointed out: serial is slower, never early); `[P]` markers pointed out.
    streams: [
      'phase-1-setup-shared-infrastructure ← ∅ · 12',
      'phase-2-foundational-blocking-prerequisites ← phase-1-setup-shared-infrastructure · 18',
      'phase-3-user-story-1---initialize-new-project-priority-p1--mvp ← phase-2-foundational-blocking-prerequisites · 21',
      'phase-4-user-story-2---check-installed-tools-priority-p1--mvp ← phase-3-user-story-1---initialize-new-project-priority-p1--mvp · 11',
      'phase-5-user-story-3---display-version-information-priority-p2 ← phase-4-user-story-2---check-installed-tools-priority-p1--mvp · 8',
      'phase-6-user-story-4---interactive-agent-selection-priority-p2 ← phase-5-user-story-3---display-version-information-priority-p2 · 11',
      'phase-7-user-story-5---github-rate-limit-handling-priority-p2 ← phase-6-user-story-4---interactive-agent-selection-priority-p2 · 7',
      'phase-8-user-story-6---build-release-packages-priority-p3 ← phase-7-user-story-5---github-rate-limit-handling-priority-p2 · 19',
      'phase-9-file-merging--deep-json-merge ← phase-8-user-story-6---build-release-packages-priority-p3 · 7',
      'phase-10-release-command-fr-044 ← phase-9-file-merging--deep-json-merge · 11',
      'phase-11-polish--cross-cutting-concerns ← phase-10-release-command-fr-044 · 12',
    ],
    criteria: 0,
    summary: 0,
    warnings: [29, 317, 322, 325, 326, 327, 335, 338, 347, 358, 377],
    refused: false,
    converted: null,
  },
  'speckit-fairdm-plugin-system.md': {
    // Ninety-two `- **T001** …` bullets, no checkboxes: refused.
    // Converted: a checkbox on each bullet, keeping its T-id; the phases in order.
    streams: [],
    criteria: 0,
    summary: 0,
    warnings: [],
    refused: true,
    converted: {
      kinds: ['list items under unit headings'],
      streams: [
        'phase-1--foundation ← ∅ · 5',
        'phase-2--us1-register-a-view-and-get-a-working-page ← phase-1--foundation · 13',
        'phase-3--us2-reach-the-record-without-disturbing-the-view ← phase-2--us1-register-a-view-and-get-a-working-page · 12',
        'phase-4--us3-visibility-and-reachability-are-one-set ← phase-3--us2-reach-the-record-without-disturbing-the-view · 15',
        'phase-5--us4-a-registration-that-cannot-work-is-refused ← phase-4--us3-visibility-and-reachability-are-one-set · 9',
        'phase-6--us5-one-plugin-several-related-views ← phase-5--us4-a-registration-that-cannot-work-is-refused · 9',
        'phase-7--us6-control-the-navigation-entry-or-decline-it ← phase-6--us5-one-plugin-several-related-views · 8',
        'phase-8--wiring-removals-documentation ← phase-7--us6-control-the-navigation-entry-or-decline-it · 10',
        'phase-9--added-after-design-review ← phase-8--wiring-removals-documentation · 11',
      ],
      warnings: [],
      refused: false,
    },
  },
  'speckit-rpc-approval-workflow.md': {
    // Six phases in order; each PR's “STOP: Ask user to review”, “merge after approval” and “USER ACTION”
    // tasks are a person's steps, so no PR is merged unreviewed; “Verification for PR #n” checklists are
    // criteria.
    streams: [
      'phase-1-pr-1---environment-updates ← ∅ · 21 · person T027 T028 T029',
      'phase-2-pr-2---directory-layout--boilerplate ← phase-1-pr-1---environment-updates · 33 · person T068 T069',
      'phase-3-pr-3---server-implementation ← phase-2-pr-2---directory-layout--boilerplate · 30 · person T104 T105',
      'phase-4-pr-4---proposer-cli-implementation ← phase-3-pr-3---server-implementation · 21 · person T132 T133',
      'phase-5-pr-5---approver-web-app-implementation ← phase-4-pr-4---proposer-cli-implementation · 36 · person T177 T178',
      'phase-6-final-validation ← phase-5-pr-5---approver-web-app-implementation · 8',
    ],
    criteria: 37,
    summary: 0,
    warnings: [50, 112, 442, 464, 476, 503, 504],
    refused: false,
    converted: null,
  },
  'speckit-todo-env-setup.md': {
    // Two phases, Phase 2 after Phase 1 (as stated on line 55); the acceptance checklist (97–102) is
    // criteria; task-level order (T004 after T001–T003) is pointed out.
    streams: [
      'phase-1-configuration-files-setup ← ∅ · 4',
      'phase-2-documentation-verification ← phase-1-configuration-files-setup · 2',
    ],
    criteria: 6,
    summary: 0,
    warnings: [30, 50, 55, 57, 61, 64, 65, 67, 108],
    refused: false,
    converted: null,
  },
  'superpowers-dotclaude-eval-harness-index.md': {
    // Thirteen tasks in YAML with `depends-on`: refused, the YAML pointed out.
    // Converted: the thirteen YAML tasks with their `depends-on`; the executor notes that serialize 005–007
    // and 011–012 are pointed out.
    streams: [],
    criteria: 0,
    summary: 0,
    warnings: [56, 126, 127, 196, 197],
    refused: true,
    converted: {
      kinds: ['YAML lists of tasks'],
      streams: [
        '001 ← ∅ · 1',
        '002 ← 001 · 1',
        '003 ← 001 · 1',
        '004 ← 001 · 1',
        '005 ← 002 · 1',
        '006 ← 003 · 1',
        '007 ← 004 · 1',
        '008 ← 005, 006, 007 · 1',
        '009 ← 008 · 1',
        '010 ← 009 · 1',
        '011 ← 010 · 1',
        '012 ← 010 · 1',
        '013 ← 011, 012 · 1',
      ],
      warnings: [109, 110, 179, 180],
      refused: false,
    },
  },
  'superpowers-my-ai-setup-hooks-implementation.md': {
    // `## Task N` headings with bold `**Step N:**` paragraphs, no checkboxes: refused.
    // Converted: each `**Step N:**` becomes a task of its `## Task N`, tasks in order.
    streams: [],
    criteria: 0,
    summary: 0,
    warnings: [],
    refused: true,
    converted: {
      kinds: ['list items under unit headings'],
      streams: [
        'task-1-create-hooks-directory-and-registry ← ∅ · 4',
        'task-2-implement-session-startsh-hook ← task-1-create-hooks-directory-and-registry · 7',
        'task-3-implement-pre-commit-guardsh-hook ← task-2-implement-session-startsh-hook · 9',
        'task-4-update-validatesh-to-include-hooks-validation ← task-3-implement-pre-commit-guardsh-hook · 3',
        'task-5-test-hooks-end-to-end ← task-4-update-validatesh-to-include-hooks-validation · 5',
      ],
      warnings: [],
      refused: false,
    },
  },
  'superpowers-obra-document-review-system.md': {
    // Five `### Task N` units in numbered order (tasks 4 and 5 edit the same file, so the order matters);
    // their `- [ ] Step` items are the tasks; the example inside a code block is not read.
    streams: [
      'task-1-create-spec-document-reviewer-prompt-template ← ∅ · 3',
      'task-2-add-review-loop-to-brainstorming-skill ← task-1-create-spec-document-reviewer-prompt-template · 4',
      'task-3-create-plan-document-reviewer-prompt-template ← task-2-add-review-loop-to-brainstorming-skill · 3',
      'task-4-add-review-loop-to-writing-plans-skill ← task-3-create-plan-document-reviewer-prompt-template · 6',
      'task-5-update-plan-header-template-in-writing-plans-skill ← task-4-add-review-loop-to-writing-plans-skill · 4',
    ],
    criteria: 0,
    summary: 0,
    warnings: [],
    refused: false,
    converted: null,
  },
  'taskmaster-prompt-enhancer-tasks.json': {
    // task-master JSON: refused (tasks must be checkboxes).
    // Converted: ten units with their dependencies, subtasks as checkboxes.
    streams: [],
    criteria: 0,
    summary: 0,
    warnings: [],
    refused: true,
    converted: {
      kinds: ['task-master JSON'],
      streams: [
        '1 ← ∅ · 1',
        '2 ← 1 · 5',
        '3 ← 2 · 4',
        '4 ← 2 · 1',
        '5 ← 2 · 1',
        '6 ← 2 · 1',
        '7 ← 2, 1 · 1',
        '8 ← 4, 5 · 1',
        '9 ← 1, 2, 4, 5 · 1',
        '10 ← 1, 2, 3, 4, 5, 6, 7, 9 · 1',
      ],
      warnings: [],
      refused: false,
    },
  },
  'taskmaster-veritas-task-010.txt': {
    // task-master text file: refused.
    // Converted: one unit of nine subtasks with their own order; its dependencies on other task files pointed
    // out.
    streams: [],
    criteria: 0,
    summary: 0,
    warnings: [],
    refused: true,
    converted: {
      kinds: ['a task-master task file'],
      streams: ['10 ← ∅ · 9'],
      warnings: [2],
      refused: false,
    },
  },
};

/** Read without warnings or errors: these must be exactly right, since nothing makes a person look. */
const SILENT = new Set(
  Object.entries(CORPUS)
    .filter(([, expected]) => !expected.refused && expected.warnings.length === 0)
    .map(([file]) => file),
);

describe('real-world breakdowns', () => {
  const files = readdirSync(DIR).filter((f) => !f.endsWith('.source.md'));

  it('are at least 25, each with its source', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    // Each document's source (repository, path, commit, licence) and its reading, beside it.
    for (const file of files) expect(readdirSync(DIR)).toContain(file.replace(/\.(?:md|json|txt)$/, '.source.md'));
    expect(Object.keys(CORPUS).sort()).toEqual([...files].sort());
  });

  it.each(Object.keys(CORPUS))('%s is read as a careful reader reads it', (file) => {
    expect(reading(file)).toEqual(CORPUS[file]);
  });

  it('none is misread in silence: a reading without warnings or errors is one checked whole', () => {
    // Each of these was read line by line against its reading (see the comments above).
    expect([...SILENT].sort()).toEqual([
      'issue-rust-refcell-take.md',
      'issue-vega-close-settings-page.md',
      'kiro-kythira-protobuf-serializer.md',
      'kiro-spaceweirdos-warband-list.md',
      'superpowers-obra-document-review-system.md',
    ]);
  });
});
