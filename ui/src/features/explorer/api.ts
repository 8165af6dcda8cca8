// The API explorer's calls to the Rust side (OpenAPI import, reload, pages, Try it, the list of
// imported specs).
export {
  cancelRequest,
  openSpec,
  pickSpecFile,
  reloadSpec,
  specForget,
  specOperation,
  specOverview,
  specSchema,
  specsRemembered,
  tryOperation,
} from "../../lib/ipc";
