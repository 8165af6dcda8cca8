use super::prepare::{routes, split_url, Body};
use super::*;

fn exchange(
    label: &str,
    at_ms: i64,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RecordedExchange {
    RecordedExchange {
        label: label.into(),
        history_id: Some(7),
        at_ms,
        method: "get".into(),
        url: url.into(),
        status: 200,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.to_vec(),
        body_size: body.len() as u64,
    }
}

fn recording(exchanges: Vec<RecordedExchange>) -> Recording {
    Recording {
        source: "demo-api/items".into(),
        exchanges,
    }
}

#[test]
fn urls_split_into_route_and_decoded_query() {
    let (url, params) =
        split_url("HTTP://user:pw@127.0.0.1:8000/items?q=a+b&tag=x%2Fy&tag=z&flag#top");
    assert_eq!(url, "http://127.0.0.1:8000/items");
    assert_eq!(
        params,
        [
            ("q".to_owned(), "a b".to_owned()),
            ("tag".to_owned(), "x/y".to_owned()),
            ("tag".to_owned(), "z".to_owned()),
            ("flag".to_owned(), String::new()),
        ]
    );
    assert_eq!(split_url("http://h").0, "http://h/");
    assert_eq!(
        split_url("http://h/a?x=%zz%4").1,
        [("x".to_owned(), "%zz%4".to_owned())]
    );
}

#[test]
fn credentials_and_transfer_headers_are_not_written() {
    let e = exchange(
        "Get",
        0,
        "http://h/items?api_key=%E2%80%A2&limit=5",
        &[
            ("Content-Type", "application/json"),
            ("Set-Cookie", "sid=abc"),
            ("X-Api-Key", "k"),
            ("Authorization", "Bearer t"),
            ("Content-Length", "2"),
            ("Transfer-Encoding", "chunked"),
            ("Content-Encoding", "gzip"),
            ("X-Request-Id", "r1"),
        ],
        b"{}",
    );
    let mut warnings = Vec::new();
    let r = &routes(&[e], &mut warnings)[0];
    assert_eq!(r.headers, [("X-Request-Id".to_owned(), "r1".to_owned())]);
    assert_eq!(r.content_type.as_deref(), Some("application/json"));
    assert_eq!(r.params, [("limit".to_owned(), "5".to_owned())]);
    assert!(
        !r.strict,
        "a credential parameter was left out of the match"
    );
    for format in [CodeFormat::Respx, CodeFormat::Responses] {
        let text = &generate_mocks(
            &recording(vec![exchange(
                "Get",
                0,
                "http://h/items?api_key=x",
                &[("Set-Cookie", "sid=abc")],
                b"",
            )]),
            format,
        )
        .unwrap()
        .files[0]
            .contents;
        assert!(
            !text.contains("sid=abc") && !text.contains("api_key"),
            "{text}"
        );
    }
}

#[test]
fn bodies_are_json_text_or_bytes() {
    let json = exchange(
        "a",
        0,
        "http://h/a",
        &[("content-type", "application/json")],
        br#"{"id": 1, "name": "Lamp"}"#,
    );
    let broken = exchange(
        "b",
        0,
        "http://h/b",
        &[("content-type", "application/json")],
        b"{not json",
    );
    let text = exchange(
        "c",
        0,
        "http://h/c",
        &[("content-type", "text/plain; charset=utf-8")],
        "h\u{e9}".as_bytes(),
    );
    let png = exchange(
        "d",
        0,
        "http://h/d",
        &[("content-type", "image/png")],
        b"\x89PNG\r\n",
    );
    let mut warnings = Vec::new();
    let r = routes(&[json, broken, text, png], &mut warnings);
    assert!(matches!(&r[0].body, Body::Json(v) if v["name"] == "Lamp"));
    assert_eq!(r[1].body, Body::Text("{not json".into()));
    assert_eq!(r[2].body, Body::Text("h\u{e9}".into()));
    assert_eq!(r[3].body, Body::Bytes(b"\x89PNG\r\n".to_vec()));
    assert!(warnings.is_empty());
    assert_eq!(py_bytes(b"\x89P\"\\\n"), r#"b"\x89P\"\\\n""#);
}

#[test]
fn a_body_over_the_budget_is_replayed_empty_with_a_warning() {
    let mut big = exchange("Big", 0, "http://h/big", &[], b"");
    big.body_size = MOCK_BODY_BUDGET + 1;
    let mut cut = exchange("Cut", 0, "http://h/cut", &[], b"abc");
    cut.body_size = 10;
    let mut warnings = Vec::new();
    let r = routes(&[big, cut], &mut warnings);
    assert_eq!(r[0].body, Body::Empty);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].message.contains("1 MiB budget"), "{warnings:?}");
    assert_eq!(warnings[1].location, "Cut");
    assert_eq!(r[1].body, Body::Text("abc".into()));
}

#[test]
fn the_same_request_twice_keeps_the_newer_answer() {
    let old = exchange("Old", 1, "http://h/a?x=1&y=2", &[], b"old");
    let new = exchange("New", 2, "http://h/a?y=2&x=1", &[], b"new");
    let other = exchange("Other", 3, "http://h/a?x=2", &[], b"other");
    let mut warnings = Vec::new();
    let r = routes(&[new, old, other], &mut warnings);
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].body, Body::Text("new".into()));
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].message.contains("only the newer answer, New's"),
        "{warnings:?}"
    );
}

#[test]
fn modules_name_what_was_recorded_and_when() {
    let rec = recording(vec![exchange(
        "List \"items\"\nx",
        1_796_688_002_000,
        "http://h/items",
        &[],
        b"[]",
    )]);
    let respx = &generate_mocks(&rec, CodeFormat::Respx).unwrap().files[0];
    assert_eq!(respx.path, "recorded_respx.py");
    assert!(
        respx
            .contents
            .contains("recorded on 2026-12-08 00:00:02 UTC"),
        "{}",
        respx.contents
    );
    assert!(
        respx.contents.contains("# List 'items'?x, history entry 7"),
        "{}",
        respx.contents
    );
    assert!(
        respx.contents.contains("params__eq=[]"),
        "{}",
        respx.contents
    );
    assert!(respx.contents.contains("def mocked_api():"));
    let responses = &generate_mocks(&rec, CodeFormat::Responses).unwrap().files[0];
    assert_eq!(responses.path, "recorded_responses.py");
    assert!(
        responses
            .contents
            .contains("matchers.query_param_matcher({})"),
        "{}",
        responses.contents
    );
    assert!(responses.contents.contains("def mocked("));
    assert!(matches!(
        generate_mocks(&recording(Vec::new()), CodeFormat::Respx),
        Err(ExportError::NoRecording(_))
    ));
    assert!(matches!(
        generate_mocks(&rec, CodeFormat::Pytest),
        Err(ExportError::NotMocks)
    ));
}

#[test]
fn utc_is_the_civil_date() {
    assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
    assert_eq!(utc(951_782_400_000), "2000-02-29 00:00:00 UTC");
    assert_eq!(utc(1_796_688_002_000), "2026-12-08 00:00:02 UTC");
}
