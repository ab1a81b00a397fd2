import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import MarkdownIt from 'markdown-it';

// The status comment as a page, roughly as GitHub shows it, readable offline: the Mermaid graph
// is drawn by the mermaid package's own bundle, inlined into the page (no network). Raw HTML
// stays off, since the comment is made from issue text, and Mermaid runs at its strict security
// level (no HTML labels, no click handlers) for the same reason.

const markdown = new MarkdownIt({ html: false, linkify: true });
const fence = markdown.renderer.rules.fence;
markdown.renderer.rules.fence = (tokens, index, options, env, self) => {
  const token = tokens[index];
  if (token?.info.trim() !== 'mermaid') return fence ? fence(tokens, index, options, env, self) : '';
  // Mermaid reads the element's text, so the source is escaped as any text is.
  return `<pre class="mermaid">${markdown.utils.escapeHtml(token.content)}</pre>\n`;
};

const require = createRequire(import.meta.url);
let bundle: string | undefined;

/** mermaid's browser bundle, safe to inline: no `</script` can end the element early. */
function mermaidBundle(): string {
  bundle ??= readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8').replaceAll('</script', '<\\/script');
  return bundle;
}

export function statusPage(title: string, comment: string): string {
  const body = markdown.render(comment.replace(/^<!--[\s\S]*?-->\n/, ''));
  const graphs = body.includes('<pre class="mermaid">');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${markdown.utils.escapeHtml(title)}</title>
<style>
  body { font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 920px; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
  code, pre { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f6f8fa; border-radius: 6px; }
  code { padding: .1em .3em; }
  pre { padding: 1em; overflow: auto; }
  pre.mermaid { background: none; text-align: center; }
  h3 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
  blockquote { color: #59636e; border-left: .25em solid #d1d9e0; margin: 0; padding: 0 1em; }
</style>
</head>
<body>
<p><em>${markdown.utils.escapeHtml(title)}</em></p>
${body}${graphs ? `<script>${mermaidBundle()}</script>\n<script>mermaid.initialize({ startOnLoad: true, securityLevel: 'strict' });</script>\n` : ''}</body>
</html>
`;
}
