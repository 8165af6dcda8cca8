// What a bare CodeMirror 6 page does to show a JSON body pretty and highlighted: fetch it,
// JSON.parse + JSON.stringify(…, 2) on the main thread, and one read-only EditorView with the
// JSON language and the default highlight style. No framework, no IPC, no worker.
import { json } from "@codemirror/lang-json";
import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, lineNumbers } from "@codemirror/view";

const host = document.getElementById("body") as HTMLElement;
let view: EditorView | null = null;

document.getElementById("show")?.addEventListener("click", async () => {
  view?.destroy();
  host.replaceChildren();
  const text = await (await fetch("body.json", { cache: "no-store" })).text();
  const pretty = JSON.stringify(JSON.parse(text), null, 2);
  view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: pretty,
      extensions: [
        lineNumbers(),
        json(),
        syntaxHighlighting(defaultHighlightStyle),
        EditorState.readOnly.of(true),
        EditorView.editable.of(false),
      ],
    }),
  });
});
