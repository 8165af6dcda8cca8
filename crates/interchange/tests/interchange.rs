//! Integration tests of the importers and exporters, one binary: curl command lines (and what the
//! real `curl` sends for an export), HAR, Postman, Insomnia, hostile files, and properties over
//! arbitrary input.

#[path = "interchange/curl.rs"]
mod curl;
#[path = "interchange/curl_wire.rs"]
mod curl_wire;
#[path = "interchange/har.rs"]
mod har;
#[path = "interchange/hostile.rs"]
mod hostile;
#[path = "interchange/insomnia.rs"]
mod insomnia;
#[path = "interchange/postman.rs"]
mod postman;
#[path = "interchange/properties.rs"]
mod properties;
#[path = "interchange/scripts.rs"]
mod scripts;
