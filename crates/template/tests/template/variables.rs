//! Variable resolution: precedence between scopes, nesting, cycles, dynamic values, secrets and
//! the undefined-variable report.

use sextant_model::{
    Environment, FolderSettings, HttpRequest, KeyValue, MultipartPart, PartValue, RequestBody,
    SavedRequest, UndefinedVariable, Variable,
};
use sextant_template::{resolve, undefined, Context, ResolveOptions, TemplateError};

const SEND: ResolveOptions = ResolveOptions {
    reveal_secrets: true,
};

fn saved(url: &str) -> SavedRequest {
    SavedRequest::new("r", HttpRequest::get(url))
}

fn folder(vars: Vec<Variable>) -> FolderSettings {
    FolderSettings {
        variables: vars,
        ..FolderSettings::default()
    }
}

fn url_of(saved: &SavedRequest, ctx: &Context<'_>) -> String {
    resolve(saved, ctx, &SEND).unwrap().request.url
}

/// Six scopes all define `v`; removing the highest one at a time must reveal the next lower.
#[test]
fn each_level_overrides_the_one_below() {
    let v = |level: &str| vec![Variable::new("v", level)];
    let globals = v("global");
    let chain = vec![
        folder(v("collection")),
        folder(v("outer")),
        folder(v("inner")),
    ];
    let env = Environment {
        name: "e".into(),
        variables: v("environment"),
    };
    let runtime = v("runtime");
    let mut req = saved("http://h/{{v}}");
    req.variables = v("request");

    let full = Context {
        globals: &globals,
        chain: &chain,
        environment: Some(&env),
        runtime: &runtime,
    };
    assert_eq!(url_of(&req, &full), "http://h/request");
    req.variables.clear();
    assert_eq!(url_of(&req, &full), "http://h/runtime");
    let ctx = Context {
        runtime: &[],
        ..full
    };
    assert_eq!(url_of(&req, &ctx), "http://h/environment");
    let ctx = Context {
        environment: None,
        ..ctx
    };
    assert_eq!(url_of(&req, &ctx), "http://h/inner");
    let ctx = Context {
        chain: &chain[..2],
        ..ctx
    };
    assert_eq!(url_of(&req, &ctx), "http://h/outer");
    let ctx = Context {
        chain: &chain[..1],
        ..ctx
    };
    assert_eq!(url_of(&req, &ctx), "http://h/collection");
    let ctx = Context { chain: &[], ..ctx };
    assert_eq!(url_of(&req, &ctx), "http://h/global");
}

#[test]
fn disabled_variables_do_not_override() {
    let globals = vec![Variable::new("v", "global")];
    let mut req = saved("http://h/{{ v }}");
    let mut off = Variable::new("v", "off");
    off.enabled = false;
    req.variables = vec![off];
    let ctx = Context {
        globals: &globals,
        ..Context::default()
    };
    assert_eq!(url_of(&req, &ctx), "http://h/global");
}

#[test]
fn values_nest_across_scopes() {
    let globals = vec![Variable::new("scheme", "https")];
    let env = Environment {
        name: "e".into(),
        variables: vec![
            Variable::new("host", "{{scheme}}://{{name}}.test"),
            Variable::new("name", "api"),
        ],
    };
    let mut req = saved("{{host}}/{{path}}");
    req.variables = vec![
        Variable::new("path", "v{{version}}"),
        Variable::new("version", "2"),
    ];
    let ctx = Context {
        globals: &globals,
        environment: Some(&env),
        ..Context::default()
    };
    let resolved = resolve(&req, &ctx, &SEND).unwrap();
    assert_eq!(resolved.request.url, "https://api.test/v2");
    assert_eq!(resolved.used, ["host", "scheme", "name", "path", "version"]);
}

#[test]
fn cycles_are_errors_naming_the_cycle() {
    let mut req = saved("http://h/{{a}}");
    req.variables = vec![
        Variable::new("a", "x{{b}}"),
        Variable::new("b", "{{c}}"),
        Variable::new("c", "{{a}}"),
    ];
    let err = resolve(&req, &Context::default(), &SEND).unwrap_err();
    assert_eq!(
        err,
        TemplateError::Cycle {
            path: vec!["a".into(), "b".into(), "c".into(), "a".into()]
        }
    );
    assert!(err.to_string().contains("{{a}} → {{b}} → {{c}} → {{a}}"));

    req.variables = vec![Variable::new("a", "{{a}}")];
    assert!(matches!(
        resolve(&req, &Context::default(), &SEND),
        Err(TemplateError::Cycle { path }) if path == ["a", "a"]
    ));
}

#[test]
fn nesting_deeper_than_the_limit_fails() {
    let mut req = saved("http://h/{{v0}}");
    req.variables = (0..20)
        .map(|i| Variable::new(format!("v{i}"), format!("{{{{v{}}}}}", i + 1)))
        .chain([Variable::new("v20", "end")])
        .collect();
    assert!(matches!(
        resolve(&req, &Context::default(), &SEND),
        Err(TemplateError::TooDeep { .. })
    ));
    // Sixteen levels are fine.
    req.request.url = "http://h/{{v5}}".into();
    assert_eq!(url_of(&req, &Context::default()), "http://h/end");
}

#[test]
fn dynamic_values_have_their_formats_and_are_fresh() {
    let mut req = saved("http://h/{{$uuid}}/{{$uuid}}");
    req.request.query = vec![
        KeyValue::new("ts", "{{$timestamp}}"),
        KeyValue::new("iso", "{{ $isoTimestamp }}"),
        KeyValue::new("n", "{{$randomInt}}"),
        KeyValue::new("die", "{{$randomInt 1 6}}"),
    ];
    let before = time::OffsetDateTime::now_utc().unix_timestamp();
    let r = resolve(&req, &Context::default(), &SEND).unwrap().request;
    let after = time::OffsetDateTime::now_utc().unix_timestamp();

    let ids: Vec<&str> = r.url.trim_start_matches("http://h/").split('/').collect();
    let a = uuid::Uuid::parse_str(ids[0]).unwrap();
    let b = uuid::Uuid::parse_str(ids[1]).unwrap();
    assert_eq!(a.get_version_num(), 4);
    assert_ne!(a, b, "each occurrence gets its own value");

    let ts: i64 = r.query[0].value.parse().unwrap();
    assert!((before..=after).contains(&ts));

    let iso = &r.query[1].value;
    assert_eq!(iso.len(), "2024-05-01T12:30:05.042Z".len(), "{iso}");
    assert!(iso.ends_with('Z') && iso.as_bytes()[10] == b'T', "{iso}");
    let now = time::OffsetDateTime::now_utc();
    assert!(iso.starts_with(&format!("{:04}-", now.year())), "{iso}");

    let n: i64 = r.query[2].value.parse().unwrap();
    assert!((0..=1000).contains(&n));
    let die: i64 = r.query[3].value.parse().unwrap();
    assert!((1..=6).contains(&die));
}

#[test]
fn undefined_names_are_reported_sorted_and_once() {
    let mut req = saved("http://{{host}}/{{id}}");
    req.request.headers = vec![KeyValue::new("X-Token", "{{token}}")];
    req.request.body = RequestBody::Json {
        text: r#"{"id": "{{id}}"}"#.into(),
    };
    let err = resolve(&req, &Context::default(), &SEND).unwrap_err();
    assert_eq!(
        err.to_string(),
        "undefined variables: {{host}}, {{id}}, {{token}}"
    );
    let api: sextant_model::ApiError = err.into();
    assert_eq!(api.code, sextant_model::ErrorCode::UndefinedVariable);
}

#[test]
fn undefined_is_collected_from_every_field() {
    let chain = vec![FolderSettings {
        base_url: Some("{{base}}".into()),
        headers: vec![KeyValue::new("X-Folder", "{{folder_header}}")],
        auth: sextant_model::Auth::Bearer {
            token: "{{token}}".into(),
        },
        variables: vec![Variable::new("nested", "{{deep}}")],
        client_certificates: Vec::new(),
        sequential: false,
    }];
    let mut req = saved("/{{path}}");
    req.request.query = vec![KeyValue::new("{{qname}}", "{{qvalue}}")];
    req.request.headers = vec![KeyValue::new("X-Req", "{{nested}}")];
    let mut disabled = KeyValue::new("x", "{{ignored}}");
    disabled.enabled = false;
    req.request.query.push(disabled);
    req.request.body = RequestBody::Multipart {
        parts: vec![
            MultipartPart {
                name: "t".into(),
                enabled: true,
                value: PartValue::Text {
                    text: "{{part}}".into(),
                },
            },
            MultipartPart {
                name: "f".into(),
                enabled: true,
                value: PartValue::File {
                    path: "{{dir}}/a.png".into(),
                    filename: None,
                    content_type: None,
                },
            },
        ],
    };
    let ctx = Context {
        chain: &chain,
        ..Context::default()
    };
    let found = undefined(&req, &ctx);
    let pairs: Vec<(&str, &str)> = found
        .iter()
        .map(|u| (u.name.as_str(), u.field.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("base", "url"),
            ("path", "url"),
            ("qname", "query"),
            ("qvalue", "query"),
            ("folder_header", "header"),
            ("deep", "header"),
            ("part", "body"),
            ("dir", "body"),
            ("token", "auth"),
        ]
    );
    assert!(undefined(&saved("http://h/"), &Context::default()).is_empty());
}

#[test]
fn every_body_kind_is_templated() {
    let globals = vec![Variable::new("v", "X")];
    let ctx = Context {
        globals: &globals,
        ..Context::default()
    };
    let mut off = KeyValue::new("gone", "{{missing}}");
    off.enabled = false;
    let bodies = [
        (
            RequestBody::Text {
                content_type: "text/{{v}}".into(),
                text: "a{{v}}".into(),
            },
            RequestBody::Text {
                content_type: "text/X".into(),
                text: "aX".into(),
            },
        ),
        (
            RequestBody::Json {
                text: r#"{"a":"{{v}}"}"#.into(),
            },
            RequestBody::Json {
                text: r#"{"a":"X"}"#.into(),
            },
        ),
        (
            RequestBody::Form {
                fields: vec![KeyValue::new("{{v}}", "{{v}}{{v}}"), off],
            },
            RequestBody::Form {
                fields: vec![KeyValue::new("X", "XX")],
            },
        ),
        (
            RequestBody::Binary {
                path: "/tmp/{{v}}.bin".into(),
                content_type: None,
            },
            RequestBody::Binary {
                path: "/tmp/X.bin".into(),
                content_type: None,
            },
        ),
    ];
    for (input, expected) in bodies {
        let mut req = saved("http://h/");
        req.request.body = input;
        assert_eq!(resolve(&req, &ctx, &SEND).unwrap().request.body, expected);
    }
}

#[test]
fn hidden_secrets_stay_as_placeholders() {
    let env = Environment {
        name: "e".into(),
        variables: vec![
            Variable::secret("token", "s3cret-value"),
            Variable::new("auth", "Bearer {{ token }}"),
            Variable::new("host", "h.test"),
        ],
    };
    let ctx = Context {
        environment: Some(&env),
        ..Context::default()
    };
    let mut req = saved("http://{{host}}/");
    req.request.headers = vec![KeyValue::new("Authorization", "{{auth}}")];

    let hidden = resolve(&req, &ctx, &ResolveOptions::default()).unwrap();
    assert_eq!(hidden.request.url, "http://h.test/");
    assert_eq!(hidden.request.headers[0].value, "Bearer {{ token }}");
    assert!(hidden.secret_values.is_empty());

    let shown = resolve(&req, &ctx, &SEND).unwrap();
    assert_eq!(shown.request.headers[0].value, "Bearer s3cret-value");
    assert_eq!(shown.secret_values, ["s3cret-value"]);
}

#[test]
fn undefined_checks_see_through_secrets() {
    let env = Environment {
        name: "e".into(),
        variables: vec![Variable::secret("token", "{{missing}}")],
    };
    let ctx = Context {
        environment: Some(&env),
        ..Context::default()
    };
    let mut req = saved("http://h/");
    req.request.headers = vec![KeyValue::new("X", "{{token}}")];
    assert_eq!(
        undefined(&req, &ctx),
        [UndefinedVariable {
            name: "missing".into(),
            field: "header".into()
        }]
    );
    assert!(resolve(&req, &ctx, &ResolveOptions::default()).is_ok());
}
