#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    sextant_desktop::run();
}
