import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { escapeHtml, MARKDOWN_MAX_CHARS, MARKDOWN_MAX_NESTING, renderMarkdown } from "./markdown";

// Every `<` of the input is escaped, so each `<` in the output starts a tag the renderer wrote.
// These are the only tags and attributes it may write.
const TAGS = new Set([
  "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "em", "strong", "s",
  "a", "span", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "div",
]);
const ATTRS = new Set(["class", "title", "start", "style"]);
const TAG = /^<\/?([a-z0-9]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*\/?>/;

/** Throws unless `html` consists of text and tags from the lists above. */
function assertOnlyOwnTags(html: string): void {
  for (let i = html.indexOf("<"); i >= 0; i = html.indexOf("<", i + 1)) {
    const m = TAG.exec(html.slice(i, i + 2000));
    if (!m) throw new Error(`stray "<" at ${i}: ${html.slice(i, i + 80)}`);
    if (!TAGS.has(m[1])) throw new Error(`unexpected tag <${m[1]}>`);
    for (const attr of m[2].matchAll(/\s([a-z-]+)="[^"]*"/g)) {
      if (!ATTRS.has(attr[1])) throw new Error(`unexpected attribute ${attr[1]} in ${m[0]}`);
    }
  }
}

describe("renderMarkdown: hostile input", () => {
  it("renders a 4 KB heading line of spaces (cubic in the old renderer)", () => {
    expect(renderMarkdown("#" + " ".repeat(4096) + "x")).toBe("<h1>x</h1>");
    // 8 s in the old renderer: its heading regex backtracked over both runs of spaces.
    const html = renderMarkdown("# a" + " ".repeat(2048) + "#" + " ".repeat(2048) + "x\n\nafter");
    expect(html).toBe(`<h1>a${" ".repeat(2048)}#${" ".repeat(2048)}x</h1>\n<p>after</p>`);
  });

  it("renders 5,000 nested quotes (a stack overflow in the old renderer) with bounded nesting", () => {
    const html = renderMarkdown(">".repeat(5000) + " deep\n\nafter the quotes");
    expect(html.length).toBeLessThan(4096);
    const depth = html.match(/<blockquote>/g)?.length ?? 0;
    expect(depth).toBeGreaterThan(1);
    expect(depth).toBeLessThanOrEqual(MARKDOWN_MAX_NESTING);
    expect(html).toContain("<p>after the quotes</p>");
    assertOnlyOwnTags(html);
  });

  it("renders deeply nested lists and a staircase of quotes", () => {
    const lists = Array.from({ length: 1000 }, (_, i) => " ".repeat(2 * Math.min(i, 30)) + "- item").join("\n");
    const quotes = Array.from({ length: 300 }, (_, i) => ">".repeat(i + 1) + " q").join("\n");
    for (const src of [lists, quotes, "[".repeat(19_000) + "x" + "](y)".repeat(19_000), "*a _b ".repeat(15_000)]) {
      expect(src.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
      const html = renderMarkdown(src);
      expect(html.length).toBeLessThan(20 * src.length);
      assertOnlyOwnTags(html);
    }
  });

  it("shows a description past the size cap as plain text with a note", () => {
    const src = "<script>x</script> **bold** ".repeat(10_000);
    const html = renderMarkdown(src);
    expect(html).toContain('<p class="md-note">This description is too long to format (280 KB, over 100 KB)');
    expect(html).not.toContain("<strong>");
    expect(html).not.toContain("<script");
    expect(html.length).toBeLessThan(MARKDOWN_MAX_CHARS * 2);
    assertOnlyOwnTags(html);
  });
});

describe("renderMarkdown: safety", () => {
  it("escapes raw HTML, scripts and event handlers", () => {
    const html = renderMarkdown('Hi <script>alert("x")</script>\n\n<img src="http://evil/x.png" onerror="x()">\n\n<div onclick="y()">\nblock\n</div>');
    expect(html).not.toMatch(/<script|<img|<div/);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=&quot;http://evil/x.png&quot; onerror=&quot;x()&quot;&gt;");
    assertOnlyOwnTags(html);
  });

  it("never makes javascript: links, in any spelling", () => {
    for (const src of [
      "[x](javascript:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "[x](&#106;avascript:alert(1))",
      "[x](java%73cript:alert(1))",
      "<javascript:alert(1)>",
      "[x][r]\n\n[r]: javascript:alert(1)",
      "[x](vbscript:msgbox(1))",
      "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ]) {
      const html = renderMarkdown(src);
      expect(html, src).not.toMatch(/title="\s*(javascript|vbscript|data:text)/i);
      assertOnlyOwnTags(html);
    }
  });

  it("never loads images and never makes navigable links", () => {
    const html = renderMarkdown('![logo](http://evil/x.png) and [docs](https://example.com/a?b=1&c=2) and <https://example.com/x>');
    expect(html).not.toMatch(/<img|href=|src=/);
    expect(html).toContain('<span class="md-image" title="http://evil/x.png">[image: logo]</span>');
    expect(html).toContain('<a class="md-link" title="https://example.com/a?b=1&amp;c=2">docs</a>');
    expect(html).toContain('<a class="md-link" title="https://example.com/x">https://example.com/x</a>');
  });

  it("does not let link targets break out of the title attribute", () => {
    const html = renderMarkdown('[x](<javascript:alert(1)"onmouseover="y>) [z](http://a/"onmouseover="y")');
    expect(html).not.toMatch(/"\s*onmouseover/);
    assertOnlyOwnTags(html);
  });

  it("never writes a tag or attribute of its own input (property)", () => {
    const pieces = fc.constantFrom(
      "<", ">", "/", "script", "img", "a", " src=", " onerror=", "onload=", "javascript:", "JAVASCRIPT:", "data:", "&#",
      "&lt;", "[", "]", "(", ")", "!", "*", "_", "`", "```", "~~~", "#", "\n", "\n\n", " ", "    ", "-", "1.", "|", "---",
      "&", '"', "'", "\\", "http://x/", "<http://", "x", "é", "\u0000", "\u2028",
    );
    const hostile = fc.array(pieces, { maxLength: 60 }).map((a) => a.join(""));
    const anything = fc.string({ unit: "binary", maxLength: 300 });
    fc.assert(
      fc.property(fc.oneof(hostile, anything), (src) => {
        const html = renderMarkdown(src);
        expect(html).not.toMatch(/<(script|img|iframe)\b|<[a-z][^<>]*\son[a-z]*=/i);
        assertOnlyOwnTags(html);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("renderMarkdown: formatting", () => {
  it("renders paragraphs, headings, lists, code and emphasis", () => {
    expect(renderMarkdown("# Title\n\nSome **bold** and *em* and `a<b`\nnext line")).toBe(
      "<h1>Title</h1>\n<p>Some <strong>bold</strong> and <em>em</em> and <code>a&lt;b</code>\nnext line</p>",
    );
    expect(renderMarkdown("- one\n- two *x*\n\n3. a\n4. b")).toBe(
      '<ul>\n<li>one</li>\n<li>two <em>x</em></li>\n</ul>\n<ol start="3">\n<li>a</li>\n<li>b</li>\n</ol>',
    );
    expect(renderMarkdown('```json\n{"a": "<b>"}\n```')).toBe('<pre><code class="language-json">{&quot;a&quot;: &quot;&lt;b&gt;&quot;}\n</code></pre>');
    expect(renderMarkdown("    indented <code>")).toBe("<pre><code>indented &lt;code&gt;\n</code></pre>");
    expect(renderMarkdown("> quoted")).toBe("<blockquote>\n<p>quoted</p>\n</blockquote>");
  });

  it("keeps snake_case words and escaped markers literal", () => {
    expect(renderMarkdown("use item_id and max_items")).toBe("<p>use item_id and max_items</p>");
    expect(renderMarkdown("\\*not em\\*")).toBe("<p>*not em*</p>");
    expect(renderMarkdown("__strong__ _em_")).toBe("<p><strong>strong</strong> <em>em</em></p>");
  });

  it("escapes all five special characters", () => {
    expect(escapeHtml(`<a href='x'>&"`)).toBe("&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
  });
});
