// Markdown for descriptions in API documents, which come from whoever wrote the spec.
//
// A CommonMark library (markdown-it) does the parsing: it is linear in its input and caps
// nesting itself, where a hand-written renderer with regexes and recursion was cubic on a long
// heading line and overflowed the stack on deeply nested quotes. On top of it: raw HTML is off
// (it comes out as text), links do not navigate (the text is shown with the address in its
// title), images are shown as their alt text and never loaded, and a description past
// `MARKDOWN_MAX_CHARS` is shown as plain text, cut, with a note.

import MarkdownIt from "markdown-it";

/** Past this many characters a description is not parsed: its start is shown as plain text. */
export const MARKDOWN_MAX_CHARS = 100_000;

/** How deep blocks (quotes, lists) and inline spans may nest; deeper content is not rendered. */
export const MARKDOWN_MAX_NESTING = 20;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const md = new MarkdownIt("default", {
  html: false,
  linkify: false,
  typographer: false,
  maxNesting: MARKDOWN_MAX_NESTING,
});

// markdown-it already refuses `javascript:`, `vbscript:`, `file:` and most `data:` addresses
// (the text stays literal); the address of any other link is only ever shown, never followed.
md.renderer.rules.link_open = (tokens, idx) => `<a class="md-link" title="${escapeHtml(String(tokens[idx].attrGet("href") ?? ""))}">`;
md.renderer.rules.link_close = () => "</a>";
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  return `<span class="md-image" title="${escapeHtml(String(token.attrGet("src") ?? ""))}">[image: ${escapeHtml(alt)}]</span>`;
};

/** Renders a Markdown document to HTML that is safe to insert: no tag of the input survives. */
export function renderMarkdown(src: string): string {
  if (src.length > MARKDOWN_MAX_CHARS) {
    const kb = (n: number) => `${Math.round(n / 1000).toLocaleString("en-US")} KB`;
    return (
      `<p class="md-note">This description is too long to format (${kb(src.length)}, over ${kb(MARKDOWN_MAX_CHARS)}); ` +
      `its first ${kb(MARKDOWN_MAX_CHARS)} are shown as plain text.</p>` +
      `<div class="md-plain">${escapeHtml(src.slice(0, MARKDOWN_MAX_CHARS))}</div>`
    );
  }
  return md.render(src).trimEnd();
}
