// Variables, captured values and environments: calls to the Rust side.
export {
  capturedClear,
  capturedValues,
  environmentsList,
  variablesCheck,
} from "../../lib/ipc";
