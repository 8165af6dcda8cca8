//! Every command is declared once, by its `#[tauri::command]` adapter in `src/`: its name,
//! argument names and types, and result type are read from there (`build/declared.rs`), and from
//! them this script makes everything else that must agree with that list:
//! - the build manifest's command list (`allow-<name>`/`deny-<name>` permissions),
//! - the `allow-<name>` entries of each capability in `CAPABILITIES` (their other entries are
//!   kept): the main window's, the request windows' and the spec windows' own (`src/windows.rs`),
//! - the sign-in windows' capability (`src/signin_window.rs`), written whole: it grants nothing,
//!   and no other capability's window globs may reach those windows,
//! - the handler list (`$OUT_DIR/handlers.rs`, included by `lib.rs` into `generate_handler!`),
//! - the typed TypeScript client `ui/src/lib/commands.ts` (`build/typescript.rs`).
//!
//! The committed files are rewritten only when they change; CI fails when a build leaves
//! them different from what is committed.

#[path = "build/declared.rs"]
mod declared;
#[path = "build/typescript.rs"]
mod typescript;

use std::path::{Path, PathBuf};

/// The capability files whose app-command entries are the declared commands, one per kind of
/// window: each window has its own capability, all of them may call every command.
const CAPABILITIES: &[&str] = &[
    "capabilities/main.json",
    "capabilities/request-windows.json",
    "capabilities/spec-windows.json",
];

/// The capability of the sign-in windows (`signin-<n>`, the provider's pages): no app command,
/// no plugin, no core permission. The pages are the provider's, not ours.
const SIGNIN_CAPABILITY: &str = "capabilities/signin-windows.json";
/// A label every sign-in window could have, to check the other capabilities' globs against.
const SIGNIN_LABEL: &str = "signin-1";

fn main() {
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let src = manifest_dir.join("src");
    let bindings = manifest_dir.join("../ui/src/lib/bindings");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build");
    for file in CAPABILITIES {
        println!("cargo:rerun-if-changed={file}");
    }
    println!("cargo:rerun-if-changed={SIGNIN_CAPABILITY}");
    println!("cargo:rerun-if-changed=../ui/src/lib/bindings");

    let commands = declared::read(&src).unwrap_or_else(|e| panic!("reading the commands: {e}"));

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    write_if_changed(&out.join("handlers.rs"), &handlers(&commands));
    for file in CAPABILITIES {
        let path = manifest_dir.join(file);
        write_if_changed(&path, &capability(&path, &commands));
    }
    for file in CAPABILITIES {
        assert!(
            !reaches(&manifest_dir.join(file), SIGNIN_LABEL),
            "{file} names windows that match the sign-in windows' labels ({SIGNIN_LABEL})"
        );
    }
    write_if_changed(&manifest_dir.join(SIGNIN_CAPABILITY), &signin_capability());
    let client = typescript::client(&commands, &bindings)
        .unwrap_or_else(|e| panic!("generating ui/src/lib/commands.ts: {e}"));
    write_if_changed(&manifest_dir.join("../ui/src/lib/commands.ts"), &client);

    // The manifest wants `&'static` names; a build script ends right after, so leaking is fine.
    let names: Vec<&'static str> = commands
        .iter()
        .map(|c| &*Box::leak(c.name.clone().into_boxed_str()))
        .collect();
    let manifest = tauri_build::AppManifest::new().commands(Box::leak(names.into_boxed_slice()));
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");
}

/// `tauri::generate_handler![module::name, ...]` over every declared command.
fn handlers(commands: &[declared::Command]) -> String {
    let paths: Vec<String> = commands
        .iter()
        .map(|c| format!("    {}::{},\n", c.module, c.name))
        .collect();
    format!("tauri::generate_handler![\n{}]\n", paths.concat())
}

/// The capability file with its own commands' permissions replaced by exactly `allow-<name>`
/// for each declared command; plugin and core permissions stay as written.
fn capability(path: &Path, commands: &[declared::Command]) -> String {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut doc: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let permissions = doc["permissions"]
        .as_array_mut()
        .unwrap_or_else(|| panic!("{} has no permissions list", path.display()));
    // An app command's permission has no `plugin:` prefix.
    permissions.retain(|p| p.as_str().is_none_or(|p| p.contains(':')));
    permissions.extend(
        commands
            .iter()
            .map(|c| serde_json::Value::String(format!("allow-{}", c.name.replace('_', "-")))),
    );
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
    out.push('\n');
    out
}

/// The sign-in windows' capability: their windows, and an empty permission list.
fn signin_capability() -> String {
    let doc = serde_json::json!({
        "$schema": "../gen/schemas/desktop-schema.json",
        "identifier": "signin-windows",
        "description": "The sign-in windows (label signin-<n>) show an OAuth 2.0 provider's login pages; the app watches their navigation from Rust. They may call nothing: no app command, no plugin, no core permission. Written by build.rs.",
        "windows": ["signin-*"],
        "permissions": [],
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
    out.push('\n');
    out
}

/// True when a `windows` entry of the capability at `path` matches `label` (`*` globs).
fn reaches(path: &Path, label: &str) -> bool {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let doc: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let windows = doc["windows"].as_array().cloned().unwrap_or_default();
    windows
        .iter()
        .filter_map(|w| w.as_str())
        .any(|glob| glob_matches(glob, label))
}

/// `*` matches any run of characters; everything else matches itself.
fn glob_matches(glob: &str, text: &str) -> bool {
    match glob.split_once('*') {
        None => glob == text,
        Some((head, rest)) => {
            text.starts_with(head)
                && (0..=text.len() - head.len())
                    .any(|skip| glob_matches(rest, &text[head.len() + skip..]))
        }
    }
}

fn write_if_changed(path: &Path, content: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return;
    }
    std::fs::write(path, content).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}
