//! HAR 1.2: a browser-style capture imports as requests; Sextant's archives import back to the
//! same requests.

use sextant_interchange::{
    export_har, import_har, HarExchange, HarResponse, HarTimings, InterchangeError,
};
use sextant_model::{
    CollectionItem, Header, HttpRequest, KeyValue, MultipartPart, PartValue, RequestBody,
    SavedRequest,
};

const CAPTURE: &str = include_str!("../fixtures/har/shop-checkout.har");

fn requests(items: &[CollectionItem]) -> Vec<&SavedRequest> {
    items
        .iter()
        .map(|i| match i {
            CollectionItem::Request(r) => r,
            CollectionItem::Folder(f) => panic!("HAR import has no folders: {}", f.name),
        })
        .collect()
}

#[test]
fn a_browser_capture_imports_request_by_request() {
    let imported = import_har(CAPTURE).unwrap();
    let c = imported.value;
    assert_eq!(c.name, "https://shop.example.com/checkout");
    let reqs = requests(&c.items);
    let names: Vec<&str> = reqs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "GET /api/cart",
            "OPTIONS /v2/intents",
            "POST /v2/intents",
            "POST /checkout/address",
            "POST /api/returns/upload"
        ]
    );

    let cart = &reqs[0].request;
    assert_eq!(
        cart.url,
        "https://shop.example.com/api/cart?currency=EUR&include=items,totals"
    );
    assert!(cart.query.is_empty());
    let header_names: Vec<&str> = cart.headers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(
        header_names,
        ["accept", "accept-language", "cookie", "user-agent"],
        "no pseudo-headers"
    );
    assert_eq!(cart.body, RequestBody::None);

    let intent = &reqs[2].request;
    assert_eq!(
        intent.body,
        RequestBody::Text {
            content_type: "application/json;charset=UTF-8".into(),
            text: "{\"amount\":4599,\"currency\":\"EUR\",\"capture\":\"automatic\"}".into()
        }
    );
    assert_eq!(
        intent.headers,
        [KeyValue::new(
            "authorization",
            "Bearer pk_test_4eC39HqLyjWDarjtT1zdp7dc"
        )]
    );

    let address = &reqs[3].request;
    assert_eq!(
        address.body,
        RequestBody::Text {
            content_type: "application/x-www-form-urlencoded".into(),
            text: "name=Ada+Lovelace&street=12%20rue+des+Lilas&city=Brest&zip=29200".into()
        },
        "the recorded bytes win over the params"
    );
    assert_eq!(
        address.headers,
        [
            KeyValue::new("Host", "shop.example.com"),
            KeyValue::new("Origin", "https://shop.example.com")
        ]
    );

    let upload = &reqs[4].request;
    assert_eq!(
        upload.body,
        RequestBody::Multipart {
            parts: vec![
                MultipartPart {
                    name: "order".into(),
                    enabled: true,
                    value: PartValue::Text {
                        text: "A-1042".into()
                    }
                },
                MultipartPart {
                    name: "photo".into(),
                    enabled: true,
                    value: PartValue::File {
                        path: "damaged-box.jpg".into(),
                        filename: None,
                        content_type: Some("image/jpeg".into())
                    },
                },
            ]
        }
    );

    let w = imported.warnings;
    assert_eq!(w.len(), 3, "{w:#?}");
    assert_eq!(w[0].location, "GET /api/cart (entry 1)");
    assert!(w[0].message.contains("2 cookies"));
    assert_eq!(w[1].location, "POST /api/returns/upload (entry 5)");
    assert!(w[1].message.contains("\"photo\""));
    // Every file a request would send is named.
    assert_eq!(w[2].location, "POST /api/returns/upload (entry 5)");
    assert!(w[2]
        .message
        .contains("refers to a local file damaged-box.jpg"));
}

fn exchanges() -> Vec<HarExchange> {
    let mut get = HttpRequest::get("https://api.example.com/search?q=a%20b");
    get.query = vec![
        KeyValue::new("page", "2"),
        KeyValue {
            enabled: false,
            ..KeyValue::new("debug", "1")
        },
    ];
    get.headers = vec![
        KeyValue::new("Accept", "application/json"),
        KeyValue::new("X-Note", "ünï \"q\""),
    ];
    let mut json = HttpRequest::new("POST", "https://api.example.com/items");
    json.body = RequestBody::Json {
        text: "{\n  \"name\": \"x\"\n}".into(),
    };
    let mut text = HttpRequest::new("PUT", "http://127.0.0.1:8080/notes/1");
    text.body = RequestBody::Text {
        content_type: "text/markdown".into(),
        text: "# Title\n".into(),
    };
    let mut form = HttpRequest::new("POST", "http://127.0.0.1:8080/login");
    form.body = RequestBody::Form {
        fields: vec![KeyValue::new("user", "ada"), KeyValue::new("pw", "a&b=c d")],
    };
    let mut multipart = HttpRequest::new("POST", "http://127.0.0.1:8080/upload");
    multipart.body = RequestBody::Multipart {
        parts: vec![
            MultipartPart {
                name: "title".into(),
                enabled: true,
                value: PartValue::Text {
                    text: "Holiday".into(),
                },
            },
            MultipartPart {
                name: "photo".into(),
                enabled: true,
                value: PartValue::File {
                    path: "/tmp/pics/beach.jpg".into(),
                    filename: None,
                    content_type: Some("image/jpeg".into()),
                },
            },
            MultipartPart {
                name: "raw".into(),
                enabled: true,
                value: PartValue::File {
                    path: "/tmp/x.bin".into(),
                    filename: Some("renamed.bin".into()),
                    content_type: None,
                },
            },
        ],
    };
    let mut binary = HttpRequest::new("PUT", "http://127.0.0.1:8080/blob");
    binary.body = RequestBody::Binary {
        path: "/tmp/blob.tar.gz".into(),
        content_type: Some("application/gzip".into()),
    };
    let response = HarResponse {
        status: 200,
        status_text: "OK".into(),
        http_version: "HTTP/1.1".into(),
        headers: vec![Header {
            name: "Content-Type".into(),
            value: "application/json".into(),
        }],
        body_text: Some("{\"hits\":[]}".into()),
        mime_type: "application/json".into(),
        body_size: Some(11),
        started_ms: 1_713_435_302_311,
        total_ms: 88.5,
        timings: HarTimings {
            dns_ms: Some(1.5),
            connect_ms: Some(3.0),
            ssl_ms: None,
            send_ms: Some(0.2),
            wait_ms: Some(80.0),
            receive_ms: Some(3.8),
        },
    };
    let mut out = vec![HarExchange {
        request: get,
        response: Some(response),
    }];
    for request in [json, text, form, multipart, binary] {
        out.push(HarExchange {
            request,
            response: None,
        });
    }
    out
}

#[test]
fn exported_archives_import_back_to_the_same_requests() {
    let exchanges = exchanges();
    let text = export_har(&exchanges);
    let imported = import_har(&text).unwrap();
    // The only warnings name the files the archive's requests send.
    assert!(
        imported
            .warnings
            .iter()
            .all(|w| w.message.contains("refers to a local file")),
        "{:#?}",
        imported.warnings
    );
    let back = requests(&imported.value.items);
    assert_eq!(back.len(), exchanges.len());
    for (saved, exchange) in back.iter().zip(&exchanges) {
        let mut expected = exchange.request.clone();
        if !expected.query.is_empty() {
            expected.url = "https://api.example.com/search?q=a%20b&page=2".into();
            expected.query.clear();
        }
        assert_eq!(saved.request, expected);
    }
    let names: Vec<&str> = back.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "GET /search",
            "POST /items",
            "PUT /notes/1",
            "POST /login",
            "POST /upload",
            "PUT /blob"
        ]
    );
}

#[test]
fn exported_archives_carry_responses_and_timings() {
    let doc: serde_json::Value = serde_json::from_str(&export_har(&exchanges())).unwrap();
    assert_eq!(doc["log"]["version"], "1.2");
    assert_eq!(doc["log"]["creator"]["name"], "Sextant");
    let first = &doc["log"]["entries"][0];
    assert_eq!(first["startedDateTime"], "2024-04-18T10:15:02.311Z");
    assert_eq!(first["time"], 88.5);
    assert_eq!(first["timings"]["dns"], 1.5);
    assert_eq!(first["timings"]["ssl"], -1.0);
    assert_eq!(first["response"]["status"], 200);
    assert_eq!(first["response"]["content"]["text"], "{\"hits\":[]}");
    assert_eq!(first["request"]["queryString"][0]["value"], "a b");
    assert_eq!(first["request"]["queryString"][1]["name"], "page");
    let second = &doc["log"]["entries"][1];
    assert_eq!(
        second["response"]["status"], 0,
        "no response: HAR's status 0"
    );
    let ct: Vec<&serde_json::Value> = second["request"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["name"] == "Content-Type")
        .collect();
    assert_eq!(ct[0]["value"], "application/json");
    assert_eq!(
        export_har(&exchanges()),
        export_har(&exchanges()),
        "deterministic"
    );
}

#[test]
fn other_documents_are_refused() {
    assert!(matches!(
        import_har(r#"{"entries":[]}"#),
        Err(InterchangeError::WrongFormat { .. })
    ));
    assert!(matches!(
        import_har(r#"{"log":{"version":"2.0","entries":[]}}"#),
        Err(InterchangeError::UnsupportedVersion { .. })
    ));
    assert!(matches!(
        import_har(r#"{"log":{"version":"1.2"}}"#),
        Err(InterchangeError::WrongFormat { .. })
    ));
    let err = import_har("{\"log\": [}").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid JSON at line 1, column 10"),
        "{err}"
    );
}
