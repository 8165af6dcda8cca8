// Fuzzy matching for the command palette: the query's characters must appear in order in the
// candidate (case-insensitive). Consecutive runs, word starts and an early first match score higher.

export interface FuzzyMatch {
  score: number;
  /** Indexes in the candidate of the matched characters, for highlighting. */
  positions: number[];
}

const WORD_BREAK = /[\s/_\-.:]/;

export function fuzzyMatch(query: string, candidate: string): FuzzyMatch | null {
  const q = query.toLowerCase().replace(/\s+/g, "");
  if (q === "") return { score: 0, positions: [] };
  const c = candidate.toLowerCase();
  const positions: number[] = [];
  let score = 0;
  let from = 0;
  let prev = -2;
  for (const ch of q) {
    const at = c.indexOf(ch, from);
    if (at < 0) return null;
    let s = 1;
    if (at === prev + 1) s += 5;
    if (at === 0 || WORD_BREAK.test(c[at - 1])) s += 3;
    score += s;
    positions.push(at);
    prev = at;
    from = at + 1;
  }
  score -= positions[0] * 0.1;
  score -= (c.length - q.length) * 0.01;
  return { score, positions };
}

/** The items whose text matches, best first (ties keep the input order). */
export function fuzzyFilter<T>(items: ReadonlyArray<T>, query: string, text: (item: T) => string): Array<{ item: T; match: FuzzyMatch }> {
  const out: Array<{ item: T; match: FuzzyMatch; i: number }> = [];
  items.forEach((item, i) => {
    const match = fuzzyMatch(query, text(item));
    if (match) out.push({ item, match, i });
  });
  out.sort((a, b) => b.match.score - a.match.score || a.i - b.i);
  return out.map(({ item, match }) => ({ item, match }));
}

/** The text cut into matched and unmatched runs, for rendering. */
export function highlightRuns(text: string, positions: ReadonlyArray<number>): Array<{ text: string; hit: boolean }> {
  const hits = new Set(positions);
  const runs: Array<{ text: string; hit: boolean }> = [];
  for (let i = 0; i < text.length; i++) {
    const hit = hits.has(i);
    const last = runs[runs.length - 1];
    if (last && last.hit === hit) last.text += text[i];
    else runs.push({ text: text[i], hit });
  }
  return runs;
}
