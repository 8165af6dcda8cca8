#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Answered before any window or display is touched, so a packaged install can be checked
    // headless (scripts/package.sh does).
    if std::env::args().nth(1).as_deref() == Some("--version") {
        println!("sextant-desktop {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    sextant_desktop::run();
}
