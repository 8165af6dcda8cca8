//! The smallest Tauri v2 app: one window showing "hello". Sextant's start-up time and memory are
//! measured against it by scripts/bench.sh.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the hello-world app failed to start");
}
