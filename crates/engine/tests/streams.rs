//! Event streams in response bodies: the SSE and JSON-record parsers on their own, and the
//! engine sending their records while a body downloads from the fault server.

mod streams {
    mod parse;
    mod reconnect;
    mod send;
}
