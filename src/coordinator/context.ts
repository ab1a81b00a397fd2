import type { Config } from '../core/config/schema.js';
import type { GitHub, Issue } from './github.js';

/** What every use case works on: one issue of one repository, with that repository's config. */
export interface IssueContext {
  readonly github: GitHub;
  readonly issueNumber: number;
  readonly config: Config;
  readonly defaultBranch: string;
  /** The issue as a webhook just delivered it, to save a read; re-read when absent. */
  readonly issue?: Issue;
  readonly log?: (message: string) => void;
  /**
   * Which comment authors speak for the coordinator (its records, its status comment): its own
   * bot and the Action's, learned from GitHub. Never "any bot": another installed App's comment
   * would then steer the execution.
   */
  readonly trusted: (author: string) => boolean;
}
