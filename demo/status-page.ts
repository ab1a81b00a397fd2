import MarkdownIt from 'markdown-it';

// The status comment as a page, roughly as GitHub shows it. Raw HTML stays off: the comment is
// made from issue text.

const markdown = new MarkdownIt({ html: false, linkify: true });

export function statusPage(title: string, comment: string): string {
  const body = markdown.render(comment.replace(/^<!--[\s\S]*?-->\n/, ''));
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
  h3 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
  blockquote { color: #59636e; border-left: .25em solid #d1d9e0; margin: 0; padding: 0 1em; }
</style>
</head>
<body>
<p><em>${markdown.utils.escapeHtml(title)}</em></p>
${body}
</body>
</html>
`;
}
