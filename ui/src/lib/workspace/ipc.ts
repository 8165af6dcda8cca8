// Typed wrappers for the workspace commands (collections as files, drafts, environments, import and
// export). Every call rejects with an `ApiError`; argument names are the camelCase ones the shell expects.

import { Channel, invoke } from "@tauri-apps/api/core";

import type { CapturedValues } from "../bindings/CapturedValues";
import type { Draft } from "../bindings/Draft";
import type { Environment } from "../bindings/Environment";
import type { ExportResult } from "../bindings/ExportResult";
import type { FolderSettings } from "../bindings/FolderSettings";
import type { ImportResult } from "../bindings/ImportResult";
import type { InterchangeFormat } from "../bindings/InterchangeFormat";
import type { OpenedRequest } from "../bindings/OpenedRequest";
import type { SavedRequest } from "../bindings/SavedRequest";
import type { SaveResult } from "../bindings/SaveResult";
import type { SendContext } from "../bindings/SendContext";
import type { UndefinedVariable } from "../bindings/UndefinedVariable";
import type { Variable } from "../bindings/Variable";
import type { WorkspaceChange } from "../bindings/WorkspaceChange";
import type { WorkspaceInfo } from "../bindings/WorkspaceInfo";
import { normaliseError } from "../errors";

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw normaliseError(e);
  }
}

export const workspaceInfo = () => call<WorkspaceInfo>("workspace_info");

export const requestOpen = (path: string) => call<OpenedRequest>("request_open", { path });

/** `expectedRevision` null overwrites whatever is on disk (used only after the user chose "Keep mine"). */
export const requestSave = (path: string, saved: SavedRequest, expectedRevision: string | null) =>
  call<SaveResult>("request_save", { path, saved, expectedRevision });

export const requestCreate = (parent: string, saved: SavedRequest) => call<SaveResult>("request_create", { parent, saved });

export const collectionCreate = (name: string) => call<string>("collection_create", { name });

export const folderCreate = (parent: string, name: string) => call<string>("folder_create", { parent, name });

export const itemRename = (path: string, name: string) => call<string>("item_rename", { path, name });

export const itemMove = (path: string, newParent: string) => call<string>("item_move", { path, newParent });

export const itemDuplicate = (path: string) => call<string>("item_duplicate", { path });

/** Resolves with the trash id `itemRestore` takes to undo the delete. */
export const itemDelete = (path: string) => call<string>("item_delete", { path });

export const itemRestore = (trashId: string) => call<string>("item_restore", { trashId });

export const environmentsList = (collection: string) => call<Environment[]>("environments_list", { collection });

export const environmentSave = (collection: string, environment: Environment) =>
  call<void>("environment_save", { collection, environment });

/** Moves an environment to the trash; resolves with the id `itemRestore` takes to undo it. */
export const environmentDelete = (collection: string, name: string) =>
  call<string>("environment_delete", { collection, name });

/** Renames an environment: its file and the name inside it (its secrets follow). */
export const environmentRename = (collection: string, name: string, newName: string) =>
  call<void>("environment_rename", { collection, name, newName });

/** Global variables: the lowest-precedence scope, shared by every collection (`<workspace>/globals.yaml`). */
export const globalsGet = () => call<Variable[]>("globals_get");

export const globalsSave = (variables: Variable[]) => call<void>("globals_save", { variables });

export const settingsOpen = (path: string) => call<FolderSettings>("settings_open", { path });

export const settingsSave = (path: string, settings: FolderSettings) => call<void>("settings_save", { path, settings });

export const variablesCheck = (path: string | null, saved: SavedRequest, environment: string | null) =>
  call<UndefinedVariable[]>("variables_check", { path, saved, environment });

/** What captures have stored (and which found nothing) for the collection of the request at `path`. */
export const capturedValues = (path: string | null) => call<CapturedValues>("captured_values", { path });
/** Forgets what captures have stored for the collection of the request at `path`. */
export const capturedClear = (path: string | null) => call<null>("captured_clear", { path });

/**
 * The body files (canonical paths) `request` names, sent in `context`, that wait for the user's
 * say-so: outside the workspace or under a hidden folder, and not allowed yet.
 */
export const bodyFilesStopped = (request: SavedRequest, context: SendContext | null) =>
  call<string[]>("body_files_stopped", { request, context });
/** Remembers that the user allowed each of `files` to be sent as a body file. */
export const allowBodyFiles = (files: string[]) => call<string[]>("allow_body_files", { files });

export const draftsList = () => call<Draft[]>("drafts_list");

/** Stores `draft`, stamped with the time it is written (`updatedMs`). */
export function draftPut(draft: Omit<Draft, "updatedMs">): Promise<void> {
  return call<void>("draft_put", { draft: { ...draft, updatedMs: Date.now() } });
}

export const draftRemove = (key: string) => call<void>("draft_remove", { key });

/** Reports files changed on disk outside the app (within about a second). */
export function workspaceWatch(onChange: (change: WorkspaceChange) => void): Promise<void> {
  const channel = new Channel<WorkspaceChange>();
  channel.onmessage = onChange;
  return call<void>("workspace_watch", { onChange: channel });
}

export const importIntoWorkspace = (format: InterchangeFormat, source: string, parent: string | null) =>
  call<ImportResult>("import_into_workspace", { format, source, parent });

export const exportItem = (path: string | null, saved: SavedRequest | null, format: InterchangeFormat) =>
  call<ExportResult>("export_item", { path, saved, format });

/** A pasted curl command as a request (nothing is written to disk). */
export const parseCurl = (command: string) => call<SavedRequest>("curl_parse", { command });
