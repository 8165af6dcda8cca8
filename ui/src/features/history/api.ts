// History's calls to the Rust side: the recorded exchanges, searched a page at a time, and pruning.
export { historyGet, historyList, historyPrune } from "../../lib/ipc";
