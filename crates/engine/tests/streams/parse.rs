//! The parsers against the HTML standard's event stream examples and RFC 7464/NDJSON framing,
//! each input fed whole, split at every byte boundary, and byte by byte: the records must be the
//! same however the bytes arrive.

use sextant_engine::stream::StreamParser;
use sextant_model::{StreamKind, StreamRecord};

fn parse_with(kind: StreamKind, max: usize, pieces: &[&[u8]]) -> Vec<StreamRecord> {
    let mut parser = StreamParser::with_budget(kind, max);
    let mut out = Vec::new();
    for piece in pieces {
        parser.feed(piece, &mut out);
    }
    parser.finish(&mut out);
    out
}

/// Parses `input` whole, then in two pieces at every boundary, then byte by byte, asserting the
/// same records each time; returns them.
fn parse_every_split(kind: StreamKind, input: &[u8]) -> Vec<StreamRecord> {
    let whole = parse_with(kind, 1 << 20, &[input]);
    for at in 0..=input.len() {
        let (a, b) = input.split_at(at);
        assert_eq!(parse_with(kind, 1 << 20, &[a, b]), whole, "split at {at}");
    }
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(parse_with(kind, 1 << 20, &bytes), whole, "byte by byte");
    whole
}

fn data(records: &[StreamRecord]) -> Vec<&str> {
    records.iter().map(|r| r.data.as_str()).collect()
}

fn complete(records: &[StreamRecord]) -> Vec<&StreamRecord> {
    records.iter().filter(|r| r.problem.is_none()).collect()
}

fn with_line_ends(input: &str, end: &str) -> Vec<u8> {
    input.replace('\n', end).into_bytes()
}

#[test]
fn data_lines_are_joined_with_line_feeds_whatever_the_line_ends() {
    for end in ["\n", "\r\n", "\r"] {
        let input = with_line_ends("data: YHOO\ndata: +2\ndata: 10\n\n", end);
        let records = parse_every_split(StreamKind::Sse, &input);
        assert_eq!(data(&records), ["YHOO\n+2\n10"], "line end {end:?}");
        assert_eq!(records[0].event, None);
        assert_eq!(records[0].index, 0);
        assert_eq!(records[0].problem, None);
    }
}

#[test]
fn comments_ids_and_the_last_event_id_follow_the_standard() {
    // The standard's second example: the third event has no blank line after it.
    for end in ["\n", "\r\n", "\r"] {
        let input = with_line_ends(
            ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n",
            end,
        );
        let records = parse_every_split(StreamKind::Sse, &input);
        let done = complete(&records);
        assert_eq!(done.len(), 2, "line end {end:?}: {records:?}");
        assert_eq!(done[0].data, "first event");
        assert_eq!(done[0].id.as_deref(), Some("1"));
        assert_eq!(done[1].data, "second event");
        assert_eq!(done[1].id, None, "an empty id resets the last event id");
        // Not dispatched by a browser, but shown, marked, rather than dropped.
        assert_eq!(records.len(), 3);
        assert_eq!(records[2].data, " third event");
        assert!(records[2]
            .problem
            .as_deref()
            .unwrap()
            .contains("ended before"));
    }
}

#[test]
fn empty_data_is_an_event_and_no_data_is_none() {
    let records = parse_every_split(StreamKind::Sse, b"data\n\ndata\ndata\n\ndata:\n");
    assert_eq!(
        data(&complete(&records).into_iter().cloned().collect::<Vec<_>>()),
        ["", "\n"]
    );
    // Blocks without data (only an event type, a comment, a retry) dispatch nothing.
    let records = parse_every_split(
        StreamKind::Sse,
        b"event: ping\n\n: just a comment\n\nretry: 10\n\n",
    );
    assert!(records.is_empty(), "{records:?}");
}

#[test]
fn one_space_after_the_colon_is_dropped_and_the_rest_kept() {
    let records = parse_every_split(
        StreamKind::Sse,
        b"data:test\n\ndata: test\n\ndata:  two\n\n",
    );
    assert_eq!(data(&records), ["test", "test", " two"]);
}

#[test]
fn event_types_retry_and_ids_with_nul() {
    let input = b"event: token\nretry: 2500\nid: a\ndata: {\"t\":\"hi\"}\n\n\
                  retry: 12x\nid: b\0c\nevent: done\ndata: [DONE]\n\n";
    let records = parse_every_split(StreamKind::Sse, input);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].event.as_deref(), Some("token"));
    assert_eq!(records[0].retry_ms, Some(2500));
    assert_eq!(records[0].id.as_deref(), Some("a"));
    assert_eq!(records[0].data, r#"{"t":"hi"}"#);
    assert_eq!(records[1].event.as_deref(), Some("done"));
    assert_eq!(records[1].retry_ms, None, "retry takes digits only");
    assert_eq!(
        records[1].id.as_deref(),
        Some("a"),
        "an id with NUL is ignored"
    );
    assert_eq!(records[1].index, 1);
    let second = input.windows(10).position(|w| w == b"retry: 12x").unwrap();
    assert_eq!(records[1].offset, second as u64);
}

#[test]
fn a_leading_byte_order_mark_is_skipped_once() {
    let mut input = b"\xEF\xBB\xBFdata: one\n\n".to_vec();
    let records = parse_every_split(StreamKind::Sse, &input);
    assert_eq!(data(&records), ["one"]);
    // A second BOM is part of the field name, so that line is an unknown field.
    input = b"\xEF\xBB\xBF\xEF\xBB\xBFdata: two\n\ndata: three\n\n".to_vec();
    let records = parse_every_split(StreamKind::Sse, &input);
    assert_eq!(data(&records), ["three"]);
}

#[test]
fn utf8_split_across_reads_is_kept_whole() {
    let records = parse_every_split(StreamKind::Sse, "data: héllo → wörld\n\n".as_bytes());
    assert_eq!(data(&records), ["héllo → wörld"]);
}

#[test]
fn an_event_over_the_budget_is_a_marked_record_and_the_next_one_is_whole() {
    let big = "x".repeat(10_000);
    let input = format!("data: {big}\n\ndata: after\n\n");
    for pieces in [vec![input.as_bytes()], input.as_bytes().chunks(7).collect()] {
        let records = parse_with(StreamKind::Sse, 1024, &pieces);
        assert_eq!(records.len(), 2, "{records:?}");
        assert!(records[0].problem.as_deref().unwrap().contains("budget"));
        assert!(records[0].data.len() < 5 * 1024);
        assert_eq!(records[1].data, "after");
        assert_eq!(records[1].problem, None);
    }
    // Many small data lines that add up to more than the budget.
    let many = "data: 0123456789\n".repeat(200) + "\n";
    let records = parse_with(StreamKind::Sse, 1024, &[many.as_bytes()]);
    assert_eq!(records.len(), 1);
    assert!(records[0].problem.is_some());
}

#[test]
fn ndjson_lines_are_records_and_invalid_ones_are_kept_raw() {
    let input = b"{\"a\":1}\r\n\n  \n[1,2]\nnot json\n{\"last\":true}";
    let records = parse_every_split(StreamKind::Ndjson, input);
    assert_eq!(
        data(&records),
        [r#"{"a":1}"#, "[1,2]", "not json", r#"{"last":true}"#]
    );
    assert_eq!(records[0].problem, None);
    assert!(records[2]
        .problem
        .as_deref()
        .unwrap()
        .starts_with("not JSON"));
    assert_eq!(
        records[3].problem, None,
        "a last line without its end is a record"
    );
    assert_eq!(
        records.iter().map(|r| r.index).collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
    assert_eq!(records[1].offset, 13);
}

#[test]
fn json_text_sequences_split_on_record_separators() {
    let input = b"\x1e{\"a\":1}\n\x1e[2]\n\x1e\"three\"\n";
    let records = parse_every_split(StreamKind::JsonSeq, input);
    assert_eq!(data(&records), [r#"{"a":1}"#, "[2]", r#""three""#]);
    assert!(records.iter().all(|r| r.problem.is_none()));
}

#[test]
fn a_record_over_the_budget_is_cut_and_marked() {
    let input = format!("{{\"big\":\"{}\"}}\n{{\"ok\":1}}\n", "y".repeat(5000));
    let records = parse_with(StreamKind::Ndjson, 1024, &[input.as_bytes()]);
    assert_eq!(records.len(), 2);
    assert!(records[0].problem.as_deref().unwrap().contains("budget"));
    assert_eq!(records[1].data, r#"{"ok":1}"#);
}
