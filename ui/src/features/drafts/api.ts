// The drafts' calls to the Rust side: unsaved edits kept (sealed) across restarts.
export { draftPut, draftRemove, draftsList, requestOpen } from "../../lib/ipc";
