//! `sextant send` on an event stream prints record by record as they arrive. Piped, each SSE
//! event is one line of its data (so `sextant send POST URL prompt=hi | jq` reads the events'
//! JSON) and each NDJSON record its line; on a terminal, each event is a small block: its type,
//! id and time, then the data (pretty when it is JSON).

use std::io::{self, Write};
use std::time::Instant;

use sextant_app::stream_records::StreamParser;
use sextant_model::{ResponseHead, StreamKind, StreamRecord};

use crate::follow::BodySink;
use crate::output::Style;

/// Parses the body as it comes and prints each record once complete.
pub struct RecordSink {
    parser: StreamParser,
    tty: bool,
    style: Style,
    started: Instant,
    records: Vec<StreamRecord>,
}

/// A record printer for this head's body, when its Content-Type names a stream.
pub fn sink_for(head: &ResponseHead, tty: bool, style: Style) -> Option<Box<dyn BodySink>> {
    let kind = StreamKind::from_content_type(head.content_type.as_deref()?)?;
    Some(Box::new(RecordSink {
        parser: StreamParser::new(kind),
        tty,
        style,
        started: Instant::now(),
        records: Vec::new(),
    }))
}

impl RecordSink {
    fn print(&mut self) -> io::Result<()> {
        if self.records.is_empty() {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        for record in self.records.drain(..) {
            if self.tty {
                block(&mut out, &record, self.started, self.style)?;
            } else {
                writeln!(out, "{}", one_line(&record.data))?;
            }
        }
        out.flush()
    }
}

impl BodySink for RecordSink {
    fn chunk(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.parser.feed(bytes, &mut self.records);
        self.print()
    }

    fn finish(&mut self, _size: u64) -> io::Result<()> {
        self.parser.finish(&mut self.records);
        self.print()
    }
}

/// SSE data spread over several lines joined into one (a line break inside JSON is whitespace).
fn one_line(data: &str) -> String {
    data.replace("\r\n", " ").replace(['\n', '\r'], " ")
}

fn block(
    out: &mut dyn Write,
    record: &StreamRecord,
    started: Instant,
    style: Style,
) -> io::Result<()> {
    let mut title = format!("#{}", record.index + 1);
    if let Some(event) = &record.event {
        title += &format!("  event: {event}");
    }
    if let Some(id) = &record.id {
        title += &format!("  id: {id}");
    }
    title += &format!("  +{} ms", started.elapsed().as_millis());
    writeln!(out, "{}", style.paint("1;35", &title))?;
    if let Some(problem) = &record.problem {
        writeln!(out, "{}", style.paint("33", problem))?;
    }
    match serde_json::from_str::<serde_json::Value>(&record.data) {
        Ok(value) if !record.data.trim().is_empty() => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_else(|_| record.data.clone())
        )?,
        _ => writeln!(out, "{}", record.data)?,
    }
    writeln!(out)
}
