// Sending: the one `send` command (with its progress events), Cancel, and the file consent.
export { allowBodyFiles, bodyFilesStopped, cancelRequest, send } from "../../lib/ipc";
