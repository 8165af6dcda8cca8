// Variables, captured values, environments, globals and folder settings: calls to the Rust side.
export {
  capturedClear,
  capturedValues,
  environmentDelete,
  environmentRename,
  environmentSave,
  environmentsList,
  globalsGet,
  globalsSave,
  itemRestore,
  settingsOpen,
  settingsSave,
  variablesCheck,
} from "../../lib/ipc";
