//! Hostile input, opened as an attacker would send it: specs, collections, workspaces and
//! responses crafted to read files outside their folder, leak credentials, hang or exhaust memory.
//!
//! Every case runs the real `sextant` binary in a child process under an address-space limit and
//! a generous wall-clock ceiling (a hang or an abort fails the test; neither is a performance
//! assertion). The corpus lives in `tests/hostile/` at the repository's root, one file per attack;
//! the big ones are generated here. A canary file stands in for `~/.ssh/id_rsa`: its content must
//! never appear in anything Sextant prints or writes.

mod collections;
mod examples;
mod harness;
mod history;
mod redirects_fetch;
mod scale;
mod specs;
mod template;
mod workspace;
