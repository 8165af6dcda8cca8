//! Full-text search: what is indexed, and that nothing a user types can break the query.

use sextant_store::{History, HistoryQuery, NewEntry, Retention};

use crate::support::{entry, temp_db};

fn search(history: &History, text: &str) -> Vec<i64> {
    let query = HistoryQuery {
        text: Some(text.into()),
        ..HistoryQuery::default()
    };
    history
        .list(&query)
        .unwrap_or_else(|e| panic!("searching {text:?}: {e}"))
        .into_iter()
        .map(|s| s.id)
        .collect()
}

/// An entry in which the only unusual word is `word`, placed by `put`.
fn with_word(put: impl FnOnce(&mut NewEntry)) -> NewEntry {
    let mut e = entry(1, "https://plain.test/path");
    put(&mut e);
    e
}

#[test]
fn finds_a_word_wherever_it_was_recorded() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let in_response_body = history.record(&with_word(|e| {
        e.response_body_text = Some(r#"{"animal":"zebrafish"}"#.into())
    }))?;
    let in_response_header = history.record(&with_word(|e| {
        e.response_headers
            .push(("x-trace-id".into(), "quokka".into()))
    }))?;
    let in_request_header = history.record(&with_word(|e| {
        e.request_headers
            .push(("authorization".into(), "Bearer narwhal".into()))
    }))?;
    let in_request_header_name = history.record(&with_word(|e| {
        e.request_headers.push(("X-Capybara".into(), "1".into()))
    }))?;
    let in_request_body = history.record(&with_word(|e| {
        e.request_body = Some("name=axolotl&kind=amphibian".into())
    }))?;
    let in_url = history.record(&with_word(|e| {
        e.url = "https://plain.test/pangolins/7?sort=asc".into()
    }))?;
    let in_error = history.record(&with_word(|e| {
        e.status = None;
        e.error_message = Some("tls handshake: certificate expired".into())
    }))?;
    let _unrelated = history.record(&entry(2, "https://plain.test/path"))?;

    assert_eq!(search(&history, "zebrafish"), [in_response_body]);
    assert_eq!(search(&history, "quokka"), [in_response_header]);
    assert_eq!(search(&history, "narwhal"), [in_request_header]);
    assert_eq!(search(&history, "capybara"), [in_request_header_name]);
    assert_eq!(search(&history, "axolotl"), [in_request_body]);
    assert_eq!(search(&history, "pangolins"), [in_url]);
    assert_eq!(search(&history, "certificate expired"), [in_error]);
    assert!(search(&history, "wombat").is_empty());
    Ok(())
}

#[test]
fn words_are_anded_case_and_accent_insensitive_with_phrases_and_prefixes() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let both = history.record(&with_word(|e| {
        e.response_body_text = Some("alpha beta Café".into())
    }))?;
    let alpha_only = history.record(&with_word(|e| {
        e.response_body_text = Some("alpha gamma".into())
    }))?;
    assert_eq!(search(&history, "alpha beta"), [both]);
    assert_eq!(search(&history, "ALPHA"), [alpha_only, both]);
    assert_eq!(search(&history, "cafe"), [both]);
    assert_eq!(search(&history, r#""beta café""#), [both]);
    assert!(search(&history, r#""beta alpha""#).is_empty());
    assert_eq!(search(&history, "gam*"), [alpha_only]);
    assert!(search(&history, "gam").is_empty());
    Ok(())
}

#[test]
fn operators_typed_by_users_are_plain_words() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let alpha = history.record(&with_word(|e| e.response_body_text = Some("alpha".into())))?;
    let _beta = history.record(&with_word(|e| e.response_body_text = Some("beta".into())))?;
    let literal_or = history.record(&with_word(|e| {
        e.response_body_text = Some("alpha or beta".into())
    }))?;
    // As FTS5 syntax this would match all three; as words, only the entry containing "or".
    assert_eq!(search(&history, "alpha OR beta"), [literal_or]);
    // As syntax, `NOT beta` would exclude the third entry.
    assert!(search(&history, "alpha NOT beta").is_empty());
    assert_eq!(search(&history, "alpha"), [literal_or, alpha]);
    Ok(())
}

#[test]
fn header_like_and_url_like_terms_match_as_phrases() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let id = history.record(&with_word(|e| {
        e.url = "https://api.shop.test/v2/orders/ord_9f8e?include=line-items".into();
        e.response_headers
            .push(("X-Request-Id".into(), "req-77f1".into()));
    }))?;
    assert_eq!(search(&history, "x-request-id"), [id]);
    assert_eq!(search(&history, "req-77f1"), [id]);
    assert_eq!(search(&history, "api.shop.test/v2/orders"), [id]);
    assert_eq!(search(&history, "ord_9f8e"), [id]);
    assert_eq!(search(&history, "line-items"), [id]);
    assert!(search(&history, "items-line").is_empty());
    Ok(())
}

#[test]
fn nothing_a_user_types_makes_search_fail() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    history.record(&with_word(|e| {
        e.response_body_text = Some(r#"{"a-b": "c (d) e*f OR g"}"#.into())
    }))?;
    let nasty = [
        r#"""#,
        r#""""#,
        r#"a"b"#,
        r#""unbalanced"#,
        "a-b",
        "-a",
        "a -b",
        "OR",
        "AND",
        "NOT",
        "a OR",
        "OR OR OR",
        "NEAR(a b)",
        "NEAR",
        "*",
        "**",
        "a*b",
        "*a",
        "(",
        ")",
        "(a",
        "a)",
        "()",
        "^a",
        "col:a",
        "url:a",
        "{a}",
        "a + b",
        "'",
        "';DROP TABLE entries;--",
        r"\",
        "\u{0}",
        "☕",
        "日本語",
        "e*f OR g",
        "   ",
        "",
    ];
    for text in nasty {
        // `search` panics on an error; results may be empty or not.
        search(&history, text);
    }
    assert_eq!(search(&history, "a-b").len(), 1);
    assert_eq!(search(&history, "(d)").len(), 1);
    // Punctuation alone has nothing to search for: the text filter does not apply.
    assert_eq!(search(&history, "() - *").len(), 1);
    Ok(())
}

#[test]
fn deleted_entries_leave_the_index() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    history.record(&with_word(|e| {
        e.response_body_text = Some("ephemeral".into())
    }))?;
    let kept = history.record(&with_word(|e| {
        e.response_body_text = Some("ephemeral".into())
    }))?;
    history.prune(&Retention {
        max_entries: Some(1),
        ..Retention::default()
    })?;
    assert_eq!(search(&history, "ephemeral"), [kept]);
    Ok(())
}
