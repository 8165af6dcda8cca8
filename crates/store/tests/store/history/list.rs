//! Listing: newest first, keyset pages, and each filter alone and together.

use sextant_store::{History, HistoryQuery};

use crate::support::{entry, temp_db};

fn ids(history: &History, query: &HistoryQuery) -> Vec<i64> {
    history
        .list(query)
        .expect("list")
        .into_iter()
        .map(|s| s.id)
        .collect()
}

#[test]
fn newest_first_in_pages_that_neither_skip_nor_repeat() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let mut recorded = Vec::new();
    for i in 0..25 {
        recorded.push(history.record(&entry(i, &format!("https://a.test/{i}")))?);
    }
    recorded.reverse();

    let mut seen = Vec::new();
    let mut query = HistoryQuery {
        limit: 10,
        ..HistoryQuery::default()
    };
    let mut page_sizes = Vec::new();
    loop {
        let page = history.list(&query)?;
        page_sizes.push(page.len());
        let Some(last) = page.last() else { break };
        query.before_id = Some(last.id);
        seen.extend(page.iter().map(|s| s.id));
    }
    assert_eq!(page_sizes, [10, 10, 5, 0]);
    assert_eq!(seen, recorded);
    Ok(())
}

#[test]
fn summaries_carry_the_listed_fields() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let mut failed = entry(77, "https://a.test/x");
    failed.method = "DELETE".into();
    failed.status = None;
    failed.duration_ms = 3.25;
    failed.body_size = 0;
    failed.error_code = Some("timeout".into());
    let id = history.record(&failed)?;
    let page = history.list(&HistoryQuery::default())?;
    assert_eq!(page.len(), 1);
    let s = &page[0];
    assert_eq!(
        (s.id, s.at_ms, s.method.as_str(), s.url.as_str()),
        (id, 77, "DELETE", "https://a.test/x")
    );
    assert_eq!(s.status, None);
    assert_eq!(s.duration_ms, 3.25);
    assert_eq!(s.body_size, 0);
    assert_eq!(s.error_code.as_deref(), Some("timeout"));
    Ok(())
}

#[test]
fn limit_zero_is_an_empty_page_and_large_limits_are_capped() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    for i in 0..3 {
        history.record(&entry(i, "https://a.test/"))?;
    }
    let zero = HistoryQuery {
        limit: 0,
        ..HistoryQuery::default()
    };
    assert!(history.list(&zero)?.is_empty());
    let huge = HistoryQuery {
        limit: u32::MAX,
        ..HistoryQuery::default()
    };
    assert_eq!(history.list(&huge)?.len(), 3);
    Ok(())
}

/// Four entries that differ in method, status, host and collection.
fn varied(history: &History) -> anyhow::Result<[i64; 5]> {
    let mut get_ok = entry(1, "https://api.example.com/users");
    get_ok.collection = Some("Users".into());
    let mut post_created = entry(2, "https://API.example.com:8443/users");
    post_created.method = "POST".into();
    post_created.status = Some(201);
    post_created.collection = Some("Users".into());
    let mut not_found = entry(3, "http://other.test/missing");
    not_found.status = Some(404);
    let mut server_error = entry(4, "http://other.test/boom");
    server_error.method = "post".into();
    server_error.status = Some(503);
    let mut refused = entry(5, "http://localhost:9/");
    refused.status = None;
    refused.error_code = Some("connectionRefused".into());
    Ok([
        history.record(&get_ok)?,
        history.record(&post_created)?,
        history.record(&not_found)?,
        history.record(&server_error)?,
        history.record(&refused)?,
    ])
}

#[test]
fn each_filter_selects_what_it_names() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let [get_ok, post_created, not_found, server_error, refused] = varied(&history)?;
    let q = HistoryQuery::default;

    let by_method = HistoryQuery {
        method: Some("Post".into()),
        ..q()
    };
    assert_eq!(ids(&history, &by_method), [server_error, post_created]);

    for (class, expected) in [
        (2, vec![post_created, get_ok]),
        (4, vec![not_found]),
        (5, vec![server_error]),
        (0, vec![refused]),
        (3, vec![]),
    ] {
        let by_class = HistoryQuery {
            status_class: Some(class),
            ..q()
        };
        assert_eq!(ids(&history, &by_class), expected, "status class {class}");
    }

    let by_host = HistoryQuery {
        host: Some("Api.Example.com".into()),
        ..q()
    };
    assert_eq!(ids(&history, &by_host), [post_created, get_ok]);
    let localhost = HistoryQuery {
        host: Some("localhost".into()),
        ..q()
    };
    assert_eq!(ids(&history, &localhost), [refused]);

    let by_collection = HistoryQuery {
        collection: Some("Users".into()),
        ..q()
    };
    assert_eq!(ids(&history, &by_collection), [post_created, get_ok]);

    let by_text = HistoryQuery {
        text: Some("missing".into()),
        ..q()
    };
    assert_eq!(ids(&history, &by_text), [not_found]);
    Ok(())
}

#[test]
fn filters_combine_with_each_other_with_text_and_with_paging() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let mut wanted = Vec::new();
    for i in 0..60 {
        let host = if i % 2 == 0 { "even.test" } else { "odd.test" };
        let mut e = entry(i, &format!("https://{host}/items/{i}"));
        e.method = if i % 4 < 2 { "GET" } else { "PUT" }.into();
        e.status = Some(if i % 3 == 0 { 500 } else { 200 });
        e.response_body_text = Some(format!(
            "item number {i} {}",
            if i % 5 == 0 { "special" } else { "plain" }
        ));
        let id = history.record(&e)?;
        // even host, PUT, 2xx, "special"
        if i % 2 == 0 && i % 4 >= 2 && i % 3 != 0 && i % 5 == 0 {
            wanted.push(id);
        }
    }
    wanted.reverse();
    assert!(wanted.len() >= 2, "the data has several matches");

    let mut query = HistoryQuery {
        limit: 1,
        host: Some("even.test".into()),
        method: Some("PUT".into()),
        status_class: Some(2),
        text: Some("special".into()),
        ..HistoryQuery::default()
    };
    let mut got = Vec::new();
    loop {
        let page = ids(&history, &query);
        let Some(&last) = page.last() else { break };
        got.extend(page);
        query.before_id = Some(last);
    }
    assert_eq!(got, wanted);
    Ok(())
}

/// Whatever index a page is walked by (the words', a column's, or none), the result is the
/// same as filtering every entry by hand.
#[test]
fn every_filter_combination_matches_a_plain_scan() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    // (id, host, method, status class, collection, words)
    let mut recorded = Vec::new();
    for i in 0..400 {
        let host = match next(100) {
            0..70 => "a.test",
            70..95 => "b.test",
            _ => "c.test",
        };
        let method = ["GET", "GET", "GET", "POST", "DELETE"][next(5) as usize];
        let status = [Some(200), Some(201), Some(404), Some(500), None][next(5) as usize];
        let collection = (next(3) == 0).then_some("X");
        let mut words = vec!["common"];
        if next(2) == 0 {
            words.push("half");
        }
        if next(30) == 0 {
            words.push("rare");
        }
        let mut e = entry(i, &format!("https://{host}/r/{i}"));
        e.method = method.into();
        e.status = status;
        e.collection = collection.map(str::to_owned);
        e.response_body_text = Some(words.join(" "));
        let id = history.record(&e)?;
        let class = status.map_or(0, |s| (s / 100) as u8);
        recorded.push((id, host, method, class, collection, words));
    }
    recorded.reverse();

    let mut checked = 0;
    for host in [None, Some("a.test"), Some("c.test")] {
        for method in [None, Some("GET"), Some("DELETE")] {
            for class in [None, Some(2u8), Some(0)] {
                for collection in [None, Some("X")] {
                    for text in [None, Some("common"), Some("half"), Some("rare")] {
                        let expected: Vec<i64> = recorded
                            .iter()
                            .filter(|(_, h, m, c, col, words)| {
                                host.is_none_or(|x| x == *h)
                                    && method.is_none_or(|x| x == *m)
                                    && class.is_none_or(|x| x == *c)
                                    && collection.is_none_or(|x| Some(x) == *col)
                                    && text.is_none_or(|x| words.contains(&x))
                            })
                            .map(|r| r.0)
                            .collect();
                        let mut query = HistoryQuery {
                            limit: 9,
                            host: host.map(str::to_owned),
                            method: method.map(str::to_owned),
                            status_class: class,
                            collection: collection.map(str::to_owned),
                            text: text.map(str::to_owned),
                            ..HistoryQuery::default()
                        };
                        let mut got = Vec::new();
                        loop {
                            let page = ids(&history, &query);
                            let Some(&last) = page.last() else { break };
                            got.extend(page);
                            query.before_id = Some(last);
                        }
                        assert_eq!(got, expected, "{query:?}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 216);
    Ok(())
}
