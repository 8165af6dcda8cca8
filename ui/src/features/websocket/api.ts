// The WebSocket feature's calls into Rust: connect (events over a channel), send, ping, pong,
// close (which also cancels a handshake still running), a recorded session from the history, and
// a binary frame saved to a file.
export { normaliseError, pickSavePath, wsClose, wsConnect, wsHistorySession, wsPing, wsPong, wsSaveFrame, wsSend } from "../../lib/ipc";
