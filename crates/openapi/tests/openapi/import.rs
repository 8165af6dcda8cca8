//! The importer over the fixtures in `tests/fixtures/` (see SOURCES.md).

#[path = "import/bad_input.rs"]
mod bad_input;
#[path = "import/collection.rs"]
mod collection;
#[path = "import/diff.rs"]
mod diff;
#[path = "import/examples.rs"]
mod examples;
#[path = "import/openapi30.rs"]
mod openapi30;
#[path = "import/openapi31.rs"]
mod openapi31;
#[path = "import/perf.rs"]
mod perf;
#[path = "import/refs.rs"]
mod refs;
#[path = "import/snapshots.rs"]
mod snapshots;
#[path = "import/staged.rs"]
mod staged;
#[path = "import/swagger2.rs"]
mod swagger2;
#[path = "import/try_it.rs"]
mod try_it;
#[path = "import/try_it_bodies.rs"]
mod try_it_bodies;
#[path = "import/try_it_credentials.rs"]
mod try_it_credentials;
#[path = "import/try_it_oauth.rs"]
mod try_it_oauth;
#[path = "import/versions.rs"]
mod versions;
