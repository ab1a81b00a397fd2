import type { GitHub } from '../coordinator/github.js';
import type { Config } from '../core/config/schema.js';
import type { Masker } from '../core/gates/mask.js';
import type { Git } from './git.js';
import type { Sandbox } from './sandbox.js';

// What a mode may touch: the runner's log, annotations, summary and outputs (the adapter maps
// them to @actions/core), GitHub, git, and the run's environment.

export interface Place {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly title?: string;
}

export interface ActionIo {
  info(message: string): void;
  warning(message: string): void;
  annotate(level: 'error' | 'warning' | 'notice', message: string, place?: Place): void;
  summary(markdown: string): Promise<void>;
  output(name: 'tasks-done' | 'pull-request' | 'failed-gate', value: string): void;
  /** Marks the step failed with this message. */
  failed(message: string): void;
}

export interface ActionRun {
  readonly io: ActionIo;
  readonly github: GitHub;
  readonly git: Git;
  readonly config: Config;
  readonly defaultBranch: string;
  /** The checkout: where implement and the gates run. */
  readonly workspace: string;
  /** A folder of the run's own (RUNNER_TEMP), for the task context files. */
  readonly tempDir: string;
  /** The environment implement and the gates start from. */
  readonly env: NodeJS.ProcessEnv;
  /** Where implement and the gates run. */
  readonly sandbox: Sandbox;
  /** The token and every secret-named variable, in all their forms: gate output is masked with it. */
  readonly masker: Masker;
  /** Whose comments speak for the coordinator: this token's identity, the dispatching App's bot, Actions'. */
  readonly trusted: (author: string) => boolean;
  /** This workflow run's page, linked from failure reports. */
  readonly runUrl: string | undefined;
}

export const BOT_AUTHOR = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};
