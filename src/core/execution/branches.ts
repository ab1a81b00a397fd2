import { INTEGRATION_BRANCH as INTEGRATION, SYSTEM_STREAM } from '../breakdown/stream-id.js';

// Stream branches are `execute/<issue>/<stream>`; their existence is the claim on a stream.

export { SYSTEM_STREAM };

export function streamBranch(issue: number, stream: string): string {
  return `execute/${issue}/${stream === SYSTEM_STREAM ? INTEGRATION : stream}`;
}

export function branchPrefix(issue: number): string {
  return `execute/${issue}/`;
}

/** The issue and stream of a stream branch name (`refs/heads/` optional), if it is one. */
export function parseStreamBranch(ref: string): { issue: number; stream: string } | undefined {
  const match = /^(?:refs\/heads\/)?execute\/(\d+)\/([^/]+)$/.exec(ref);
  if (!match) return undefined;
  const stream = match[2] as string;
  return { issue: Number(match[1]), stream: stream === INTEGRATION ? SYSTEM_STREAM : stream };
}
