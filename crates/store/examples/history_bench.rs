//! Times the history on a realistic size: fills a temp database with 100,000 entries (varied
//! hosts, methods and statuses, ~1 KB JSON bodies of random words), then times full-text
//! searches for words of known frequency and filtered listings. Prints, asserts nothing.
//!
//! `cargo run --release -p sextant-store --example history_bench [ENTRIES]`

use std::time::Instant;

use sextant_store::{History, HistoryQuery, NewEntry, Source};

/// xorshift64*: deterministic, so every run builds the same database.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// An index in `0..n` with Zipf-like skew: index 0 is the most common.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64 + 1.0).powf(u) - 1.0) as usize).min(n - 1)
    }

    fn pick<'a, T>(&mut self, weighted: &'a [(T, u32)]) -> &'a T {
        let total: u32 = weighted.iter().map(|(_, w)| w).sum();
        let mut at = self.below(total as usize) as u32;
        for (item, weight) in weighted {
            if at < *weight {
                return item;
            }
            at -= weight;
        }
        &weighted[0].0
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ru", "te", "zan", "bor", "qui", "vel", "sha", "tor", "pen", "dra", "lux",
    "nim", "fey", "gor", "hal", "jin", "wex",
];

fn vocabulary(rng: &mut Rng, size: usize) -> Vec<String> {
    let mut words = std::collections::BTreeSet::new();
    while words.len() < size {
        let n = 2 + rng.below(3);
        let word: String = (0..n)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
            .collect();
        words.insert(word);
    }
    // BTreeSet order is alphabetical; shuffle so frequency rank does not follow spelling.
    let mut words: Vec<String> = words.into_iter().collect();
    for i in (1..words.len()).rev() {
        words.swap(i, rng.below(i + 1));
    }
    words
}

/// Marker words planted in a known share of entries, so search times map to hit counts.
const MARKERS: &[(&str, f64)] = &[
    ("everywhereword", 0.5),
    ("commonword", 0.1),
    ("regularword", 0.01),
    ("uncommonword", 0.001),
    ("rareword", 0.0001),
];

fn make_entry(rng: &mut Rng, i: usize, vocab: &[String], hosts: &[String]) -> NewEntry {
    let host = &hosts[rng.skewed(hosts.len())];
    let method = *rng.pick(&[
        ("GET", 60),
        ("POST", 20),
        ("PUT", 8),
        ("PATCH", 5),
        ("DELETE", 7),
    ]);
    let status = *rng.pick(&[
        (Some(200), 600),
        (Some(201), 80),
        (Some(204), 40),
        (Some(304), 30),
        (Some(400), 40),
        (Some(401), 30),
        (Some(404), 60),
        (Some(429), 20),
        (Some(500), 40),
        (Some(502), 20),
        (Some(503), 20),
        (None, 20),
    ]);
    let resource = &vocab[rng.skewed(200)];
    let url = format!(
        "https://{host}/v{}/{resource}/{}?page={}",
        1 + rng.below(3),
        rng.below(100_000),
        rng.below(20)
    );

    let mut words = Vec::new();
    while words.iter().map(|w: &String| w.len() + 1).sum::<usize>() < 900 {
        words.push(vocab[rng.skewed(vocab.len())].clone());
    }
    for (marker, share) in MARKERS {
        if rng.chance(*share) {
            let at = rng.below(words.len());
            words.insert(at, (*marker).to_owned());
        }
    }
    let body = format!(
        r#"{{"id":{i},"name":"{}","tags":["{}","{}"],"description":"{}","count":{}}}"#,
        words[0],
        words[1],
        words[2],
        words[3..].join(" "),
        rng.below(1000)
    );
    let failed = status.is_none();
    NewEntry {
        at_ms: 1_700_000_000_000 + i as i64 * 1000,
        source: if rng.chance(0.2) {
            Source::Cli
        } else {
            Source::App
        },
        collection: rng
            .chance(0.6)
            .then(|| format!("Collection {}", rng.skewed(15))),
        method: method.to_owned(),
        url,
        request_headers: vec![
            ("accept".into(), "application/json".into()),
            ("user-agent".into(), "Sextant/0.1".into()),
            ("x-request-id".into(), format!("req-{:016x}", rng.next())),
        ],
        request_body: (method != "GET" && method != "DELETE").then(|| {
            format!(
                r#"{{"{}":"{}"}}"#,
                vocab[rng.skewed(500)],
                vocab[rng.skewed(500)]
            )
        }),
        request_as_written: None,
        request_body_bytes: None,
        status,
        response_headers: if failed {
            vec![]
        } else {
            vec![
                ("content-type".into(), "application/json".into()),
                ("etag".into(), format!("\"{:08x}\"", rng.next() as u32)),
            ]
        },
        response_body_text: (!failed).then(|| body.clone()),
        response_body_path: None,
        body_size: if failed { 0 } else { body.len() as u64 },
        duration_ms: 5.0 + rng.below(2000) as f64 / 10.0,
        timings_json: Some(r#"{"dnsMs":0.4,"connectMs":2.1,"tlsMs":6.3}"#.into()),
        error_code: failed.then(|| "connectionRefused".into()),
        error_message: failed.then(|| "connection refused (os error 111)".into()),
    }
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    let n = times.len();
    if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2.0
    }
}

/// Runs each query three times: the first run is what a person waits for (and what the
/// median is over); the best of three shows how much of it was this shared machine's noise.
fn time_queries(history: &History, title: &str, cases: &[(String, HistoryQuery)]) {
    println!("\n{title}");
    println!("{:>10}  {:>8}  {:>5}  query", "first ms", "best ms", "rows");
    let mut firsts = Vec::new();
    for (label, query) in cases {
        let mut runs = Vec::new();
        let mut rows = 0;
        for _ in 0..3 {
            let t = Instant::now();
            rows = history.list(query).expect("list").len();
            runs.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let best = runs.iter().copied().fold(f64::INFINITY, f64::min);
        println!("{:>10.3}  {best:>8.3}  {rows:>5}  {label}", runs[0]);
        firsts.push(runs[0]);
    }
    let max = firsts.iter().copied().fold(0.0, f64::max);
    println!(
        "first runs: median {:.3} ms, max {max:.3} ms over {} queries",
        median(&mut firsts),
        cases.len()
    );
}

fn main() {
    let entries: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    // HISTORY_BENCH_DB keeps the database (and reuses it on the next run) for poking at.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = std::env::var_os("HISTORY_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("history.sqlite"));
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let vocab = vocabulary(&mut rng, 5_000);
    let hosts: Vec<String> = (0..30)
        .map(|i| format!("{}.{}.test", vocab[i], ["api", "svc", "internal"][i % 3]))
        .collect();

    if !path.exists() {
        let history = History::open(&path).expect("open");
        let t = Instant::now();
        for i in 0..entries {
            history
                .record(&make_entry(&mut rng, i, &vocab, &hosts))
                .expect("record");
        }
        let fill = t.elapsed().as_secs_f64();
        drop(history);
        println!(
            "filled {entries} entries in {fill:.1} s ({:.0} µs per record, one transaction each)",
            fill * 1e6 / entries as f64,
        );
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("database {:.1} MiB", size as f64 / (1024.0 * 1024.0));

    let history = History::open(&path).expect("reopen");
    // One query to load the schema and warm the page cache, as a running app would have.
    history.list(&HistoryQuery::default()).expect("warm-up");

    let text = |t: &str| {
        (
            format!("text {t:?}"),
            HistoryQuery {
                text: Some(t.into()),
                ..HistoryQuery::default()
            },
        )
    };
    let mut searches: Vec<(String, HistoryQuery)> = Vec::new();
    for (marker, share) in MARKERS {
        let (label, q) = text(marker);
        searches.push((format!("{label} (in ~{}% of entries)", share * 100.0), q));
    }
    for rank in [0, 5, 50, 500, 2_000, 4_900] {
        let (label, q) = text(&vocab[rank]);
        searches.push((format!("{label} (vocabulary rank {rank})"), q));
    }
    searches.push(text("absentword"));
    searches.push(text(&format!("{} {}", vocab[0], vocab[1])));
    searches.push(text(&format!("{} rareword", vocab[0])));
    searches.push(text("regularword uncommonword"));
    searches.push(text(&format!("\"{} {}\"", vocab[0], vocab[1])));
    searches.push(text("commonw*"));
    searches.push(text(&hosts[0]));
    let mut deep = text("everywhereword");
    deep.0.push_str(", page before id 20000");
    deep.1.before_id = Some(20_000);
    searches.push(deep);
    let mut filtered = text("commonword");
    filtered.0.push_str(" + method DELETE + 5xx");
    filtered.1.method = Some("DELETE".into());
    filtered.1.status_class = Some(5);
    searches.push(filtered);
    assert_eq!(searches.len(), 20);
    time_queries(
        &history,
        "full-text search, first page of 100, newest first:",
        &searches,
    );

    let filter = |label: &str, q: HistoryQuery| (label.to_owned(), q);
    let d = HistoryQuery::default;
    let listings = vec![
        filter("no filter", d()),
        filter(
            "no filter, page before id 50000",
            HistoryQuery {
                before_id: Some(50_000),
                ..d()
            },
        ),
        filter(
            "method DELETE",
            HistoryQuery {
                method: Some("DELETE".into()),
                ..d()
            },
        ),
        filter(
            "status 5xx",
            HistoryQuery {
                status_class: Some(5),
                ..d()
            },
        ),
        filter(
            "failed without status",
            HistoryQuery {
                status_class: Some(0),
                ..d()
            },
        ),
        filter(
            "commonest host",
            HistoryQuery {
                host: Some(hosts[0].clone()),
                ..d()
            },
        ),
        filter(
            "rarest host",
            HistoryQuery {
                host: Some(hosts[29].clone()),
                ..d()
            },
        ),
        filter(
            "collection",
            HistoryQuery {
                collection: Some("Collection 3".into()),
                ..d()
            },
        ),
        filter(
            "rarest host + DELETE + 5xx",
            HistoryQuery {
                host: Some(hosts[29].clone()),
                method: Some("DELETE".into()),
                status_class: Some(5),
                ..d()
            },
        ),
        filter(
            "rarest host + DELETE + 2xx",
            HistoryQuery {
                host: Some(hosts[29].clone()),
                method: Some("DELETE".into()),
                status_class: Some(2),
                ..d()
            },
        ),
        filter(
            "GET + 2xx + commonest host",
            HistoryQuery {
                host: Some(hosts[0].clone()),
                method: Some("GET".into()),
                status_class: Some(2),
                ..d()
            },
        ),
        filter(
            "PATCH + 4xx, page before id 30000",
            HistoryQuery {
                method: Some("PATCH".into()),
                status_class: Some(4),
                before_id: Some(30_000),
                ..d()
            },
        ),
        filter(
            "rarest host + text \"everywhereword\"",
            HistoryQuery {
                host: Some(hosts[29].clone()),
                text: Some("everywhereword".into()),
                ..d()
            },
        ),
        filter(
            "rarest host + DELETE + 5xx + text \"everywhereword\"",
            HistoryQuery {
                host: Some(hosts[29].clone()),
                method: Some("DELETE".into()),
                status_class: Some(5),
                text: Some("everywhereword".into()),
                ..d()
            },
        ),
        filter(
            "GET + text \"rareword\"",
            HistoryQuery {
                method: Some("GET".into()),
                text: Some("rareword".into()),
                ..d()
            },
        ),
    ];
    time_queries(&history, "list with filters, first page of 100:", &listings);

    let t = Instant::now();
    for i in 1..=100 {
        history.get(i * 997).expect("get");
    }
    println!(
        "\nget: {:.3} ms per entry",
        t.elapsed().as_secs_f64() * 1000.0 / 100.0
    );
}
