// The API explorer's calls to the Rust side (OpenAPI import, reload, pages, Try it).
export { cancelRequest, openSpec, pickSpecFile, reloadSpec, specOperation, specOverview, specSchema, tryOperation } from "../../lib/ipc";
