// History's calls to the Rust side: the recorded exchanges, searched a page at a time, pruning,
// and the frame count and close of recorded WebSocket sessions for their rows.
export { historyGet, historyList, historyPrune, wsHistorySummaries } from "../../lib/ipc";
