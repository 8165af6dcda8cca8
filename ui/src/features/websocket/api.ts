// The WebSocket feature's calls into Rust: connect (events over a channel), send, ping, close.
export { normaliseError, wsClose, wsConnect, wsPing, wsSend } from "../../lib/ipc";
