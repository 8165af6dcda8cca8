// Sending and the response area: the one `send` command (with its progress events), Cancel, the
// file consent, stored response bodies read a window at a time (and saved to a file; big JSON ones
// pretty-printed by the backend, also a window at a time), the
// request as sent, and the cookie jar.
export {
  allowBodyFiles,
  bodyFilesStopped,
  cancelRequest,
  clearCookies,
  listCookies,
  MAX_READ_WINDOW,
  pickSavePath,
  readBody,
  readPrettyBody,
  saveBody,
  send,
  sentRequest,
} from "../../lib/ipc";
