//! Tauri's build step: reads tauri.conf.json and embeds dist/ and the icon in the binary.

fn main() {
    tauri_build::build()
}
