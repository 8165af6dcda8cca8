// The request tabs' calls to the Rust side (typed, generated in lib/commands.ts).
export { requestCreate, requestOpen, requestSave } from "../../lib/ipc";
