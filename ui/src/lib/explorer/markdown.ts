// A tiny, safe Markdown renderer for descriptions in API documents.
//
// Supported: paragraphs, ATX headings, fenced and indented code blocks, bullet and numbered
// lists (one level), block quotes, horizontal rules, code spans, **strong**, *emphasis*, links.
// Everything is escaped: raw HTML comes out as text, links do not navigate (the text is shown
// with the address in its title), images are shown as their alt text and never loaded.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Inline formatting of one block's text; the result is HTML with every input character escaped. */
export function renderInline(src: string): string {
  let out = "";
  let i = 0;
  let text = "";
  const flushText = () => {
    out += emphasis(escapeHtml(text));
    text = "";
  };
  while (i < src.length) {
    const c = src[i];
    if (c === "\\" && i + 1 < src.length && /[\\`*_[\]()#+\-.!<>{}]/.test(src[i + 1])) {
      // Escaped punctuation: keep it literal, out of reach of the emphasis pass.
      flushText();
      out += escapeHtml(src[i + 1]);
      i += 2;
      continue;
    }
    if (c === "`") {
      let ticks = 1;
      while (src[i + ticks] === "`") ticks++;
      const fence = "`".repeat(ticks);
      const close = src.indexOf(fence, i + ticks);
      if (close > 0) {
        flushText();
        const code = src.slice(i + ticks, close).replace(/^ (.*) $/s, "$1");
        out += `<code>${escapeHtml(code)}</code>`;
        i = close + ticks;
        continue;
      }
    }
    if (c === "!" && src[i + 1] === "[") {
      const link = parseLink(src, i + 1);
      if (link) {
        flushText();
        out += `<span class="md-image" title="${escapeHtml(link.href)}">[image: ${escapeHtml(link.text)}]</span>`;
        i = link.end;
        continue;
      }
    }
    if (c === "[") {
      const link = parseLink(src, i);
      if (link) {
        flushText();
        out += `<a class="md-link" title="${escapeHtml(link.href)}">${renderInline(link.text)}</a>`;
        i = link.end;
        continue;
      }
    }
    if (c === "<") {
      const m = /^<((?:https?|mailto):[^\s<>]+)>/i.exec(src.slice(i));
      if (m) {
        flushText();
        out += `<a class="md-link" title="${escapeHtml(m[1])}">${escapeHtml(m[1])}</a>`;
        i += m[0].length;
        continue;
      }
    }
    text += c;
    i++;
  }
  flushText();
  return out;
}

function parseLink(src: string, open: number): { text: string; href: string; end: number } | null {
  let depth = 0;
  let j = open;
  for (; j < src.length; j++) {
    if (src[j] === "[") depth++;
    else if (src[j] === "]" && --depth === 0) break;
  }
  if (j >= src.length || src[j + 1] !== "(") return null;
  const close = src.indexOf(")", j + 2);
  if (close < 0) return null;
  const href = src.slice(j + 2, close).trim().split(/\s+/)[0] ?? "";
  return { text: src.slice(open + 1, j), href, end: close + 1 };
}

// Runs on already-escaped text, so the markers it adds are the only tags in it.
function emphasis(s: string): string {
  return s
    .replace(/\*\*(?=\S)([^*]*?\S)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^\w])__(?=\S)([^_]*?\S)__(?!\w)/g, "$1<strong>$2</strong>")
    .replace(/\*(?=\S)([^*]*?\S)\*/g, "<em>$1</em>")
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, "$1<em>$2</em>");
}

const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;

/** Renders a Markdown document to HTML that is safe to insert: no tag of the input survives. */
export function renderMarkdown(src: string): string {
  const lines = src.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let i = 0;
  const blank = (l: string) => l.trim() === "";
  while (i < lines.length) {
    const line = lines[i];
    if (blank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1];
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(marker)) body.push(lines[i++]);
      i++; // the closing fence (or the end)
      out.push(`<pre><code>${escapeHtml(body.join("\n"))}</code></pre>`);
      continue;
    }
    if (/^( {4}|\t)/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (/^( {4}|\t)/.test(lines[i]) || (blank(lines[i]) && /^( {4}|\t)/.test(lines[i + 1] ?? "")))) {
        body.push(lines[i++].replace(/^( {4}|\t)/, ""));
      }
      out.push(`<pre><code>${escapeHtml(body.join("\n"))}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1].length;
      out.push(`<h${level}>${renderInline(heading[2])}</h${level}>`);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push("<hr>");
      i++;
      continue;
    }
    if (/^\s{0,3}>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i])) body.push(lines[i++].replace(/^\s{0,3}> ?/, ""));
      out.push(`<blockquote>${renderMarkdown(body.join("\n"))}</blockquote>`);
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = ORDERED.exec(line);
    if (bullet || ordered) {
      const re = bullet ? BULLET : ORDERED;
      const items: string[] = [];
      while (i < lines.length) {
        const m = re.exec(lines[i]);
        if (m) {
          items.push(bullet ? m[1] : m[2]);
          i++;
        } else if (!blank(lines[i]) && /^\s+/.test(lines[i]) && items.length > 0) {
          items[items.length - 1] += " " + lines[i++].trim(); // continuation line
        } else if (blank(lines[i]) && re.test(lines[i + 1] ?? "")) {
          i++;
        } else break;
      }
      const tag = bullet ? "ul" : "ol";
      const start = ordered && ordered[1] !== "1" ? ` start="${Number(ordered[1])}"` : "";
      out.push(`<${tag}${start}>${items.map((it) => `<li>${renderInline(it)}</li>`).join("")}</${tag}>`);
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      !blank(lines[i]) &&
      !FENCE.test(lines[i]) &&
      !HEADING.test(lines[i]) &&
      !(para.length > 0 && (BULLET.test(lines[i]) || /^\s{0,3}>/.test(lines[i])))
    ) {
      para.push(lines[i++].trim());
    }
    out.push(`<p>${renderInline(para.join("\n")).replace(/\n/g, " ")}</p>`);
  }
  return out.join("\n");
}
