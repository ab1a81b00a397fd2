#!/usr/bin/env bash
# An `implement` command for Execution Coordinator: run once per task, in the checkout, before
# the task gates (and again, up to `fix-attempts` times, when they fail). The task arrives as
# data only: never splice these variables into a command.
#
#   TASK_ID       C.5            STREAM_ID     C            TASK_ATTEMPT  1, 2, …
#   TASK_TITLE    Task 5: PubSub integration
#   ISSUE_NUMBER  12             TASK_CONTEXT  path of a JSON file: the task, its subtasks, the
#                                              issue, what the streams it depends on did, and
#                                              (from attempt 2) what failed on earlier attempts
#   TASK_USAGE_FILE  where to write what the agent spent, as JSON:
#                    {"inputTokens", "outputTokens", "costUsd", "model"}, all optional
#
# With AGENT_COMMAND set (say, `claude -p --output-format json`), the brief goes to it on standard
# input and its usage is read from what it prints: Claude Code's JSON result (`total_cost_usd`,
# `usage`, `modelUsage`) or Codex's `exec --json` events (`turn.completed` with `usage`).
# Without it, this script writes the task's brief to docs/tasks/<id>.md, which is a fine start
# for a person picking the task up.
set -euo pipefail

brief="$(node -e '
  const c = JSON.parse(require("fs").readFileSync(process.env.TASK_CONTEXT, "utf8"));
  const lines = c.task
    ? [`# ${c.task.id}: ${c.task.title}`, "", `From #${c.issue.number}, stream ${c.stream.id}.`]
    : [`# Stream ${c.stream.id}: make its gates pass`, "", `From #${c.issue.number}.`];
  if (c.task && c.task.subtasks.length) lines.push("", "Subtasks:", ...c.task.subtasks.map((s) => `- ${s.title}`));
  for (const h of c.handoff) {
    lines.push("", `Stream ${h.stream} came before` + (h.pullRequest ? ` (${h.pullRequest.url})` : "") + ":");
    lines.push(...h.changedFiles.map((f) => `- ${f}`));
  }
  for (const a of c.attempts ?? []) {
    lines.push("", `Attempt ${a.attempt} failed these gates; fix what they report:`);
    for (const g of a.failedGates) lines.push("", `${g.name} (${g.outcome}):`, "```", g.tail, "```");
  }
  console.log(lines.join("\n"));
')"

if [[ -n "${AGENT_COMMAND:-}" ]]; then
  output="$(mktemp)"
  # The agent's status is kept for the end: what it spent is reported even when it failed.
  set +e
  printf '%s\n' "$brief" | bash -c "$AGENT_COMMAND" | tee "$output"
  status="${PIPESTATUS[1]}"
  set -e
  if [[ -n "${TASK_USAGE_FILE:-}" ]]; then
    node -e '
      const fs = require("fs");
      const text = fs.readFileSync(process.argv[1], "utf8");
      const usage = {};
      const add = (key, n) => { if (Number.isFinite(n)) usage[key] = (usage[key] ?? 0) + n; };
      // One JSON document (pretty-printed or not), or one event per line.
      let events;
      try { events = [JSON.parse(text)]; } catch { events = text.split("\n"); }
      for (const item of events) {
        let event = item;
        if (typeof item === "string") try { event = JSON.parse(item); } catch { continue; }
        if (event && event.type === "result" && event.usage) {
          // Claude Code: cache reads and writes are input too.
          const u = event.usage;
          add("inputTokens", (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0));
          add("outputTokens", u.output_tokens ?? 0);
          add("costUsd", event.total_cost_usd);
          const models = Object.keys(event.modelUsage ?? {});
          if (models.length === 1) usage.model = models[0];
        } else if (event && event.type === "turn.completed" && event.usage) {
          // Codex: cached input is part of input_tokens already.
          add("inputTokens", event.usage.input_tokens ?? 0);
          add("outputTokens", event.usage.output_tokens ?? 0);
        }
      }
      if (Object.keys(usage).length > 0) fs.writeFileSync(process.env.TASK_USAGE_FILE, JSON.stringify(usage));
    ' "$output"
  fi
  rm -f "$output"
  exit "$status"
else
  mkdir -p docs/tasks
  name="${TASK_ID:-stream-${STREAM_ID:-}}"
  printf '%s\n' "$brief" > "docs/tasks/${name//[^A-Za-z0-9._-]/_}.md"
fi
