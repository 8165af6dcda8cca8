// The composer's calls to the Rust side.
export { curlParse } from "../../lib/ipc";
