// The session's calls to the Rust side: the open tabs kept across restarts, and what restoring
// them reads (drafts, request files, body files).
export { draftsList, readBody, requestOpen, sessionGet, sessionPut } from "../../lib/ipc";
