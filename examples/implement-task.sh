#!/usr/bin/env bash
# An `implement` command for Execution Coordinator: run once per task, in the checkout, before
# the task gates. The task arrives as data only: never splice these variables into a command.
#
#   TASK_ID       C.5            STREAM_ID     C
#   TASK_TITLE    Task 5: PubSub integration
#   ISSUE_NUMBER  12             TASK_CONTEXT  path of a JSON file: the task, its subtasks, the
#                                              issue, and what the streams it depends on did
#
# With AGENT_COMMAND set (say, your coding agent's CLI), the task goes to it on standard input.
# Without it, this script writes the task's brief to docs/tasks/<id>.md, which is a fine start
# for a person picking the task up.
set -euo pipefail

brief="$(node -e '
  const c = JSON.parse(require("fs").readFileSync(process.env.TASK_CONTEXT, "utf8"));
  const lines = [`# ${c.task.id}: ${c.task.title}`, "", `From #${c.issue.number}, stream ${c.stream.id}.`];
  if (c.task.subtasks.length) lines.push("", "Subtasks:", ...c.task.subtasks.map((s) => `- ${s.title}`));
  for (const h of c.handoff) {
    lines.push("", `Stream ${h.stream} came before` + (h.pullRequest ? ` (${h.pullRequest.url})` : "") + ":");
    lines.push(...h.changedFiles.map((f) => `- ${f}`));
  }
  console.log(lines.join("\n"));
')"

if [[ -n "${AGENT_COMMAND:-}" ]]; then
  printf '%s\n' "$brief" | bash -c "$AGENT_COMMAND"
else
  mkdir -p docs/tasks
  printf '%s\n' "$brief" > "docs/tasks/${TASK_ID//[^A-Za-z0-9._-]/_}.md"
fi
