// The collections tree's calls to the Rust side (typed, generated in lib/commands.ts).
export {
  collectionCreate,
  exportItem,
  folderCreate,
  importIntoWorkspace,
  itemDelete,
  itemDuplicate,
  itemMove,
  itemRename,
  itemRestore,
  requestCreate,
  workspaceInfo,
  workspaceWatch,
} from "../../lib/ipc";
