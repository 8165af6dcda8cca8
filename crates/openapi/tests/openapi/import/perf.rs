//! Timings, printed rather than asserted (run with `--nocapture`, in release for real numbers).

use std::fmt::Write;
use std::time::Instant;

use sextant_openapi::{parse_str, summarize};

use crate::support::fixture_text;

fn time_import(label: &str, text: &str) -> sextant_openapi::ApiSpec {
    let started = Instant::now();
    let spec = parse_str(text).unwrap();
    let first = started.elapsed();
    let mut best = first;
    // Debug builds are too slow to be worth repeating.
    let repeats = if cfg!(debug_assertions) { 0 } else { 3 };
    for _ in 0..repeats {
        let started = Instant::now();
        let again = parse_str(text).unwrap();
        best = best.min(started.elapsed());
        drop(again);
    }
    let summary = summarize(&spec);
    println!(
        "{label}: {} bytes, {} operations, {} schemas -> first {first:?}, best of {} {best:?} ({} build)",
        text.len(),
        summary.operations,
        summary.schemas,
        repeats + 1,
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    spec
}

#[test]
fn largest_fixture() {
    for name in ["fastapi-demo.json", "httpbin-flasgger.json"] {
        time_import(name, &fixture_text(name));
    }
}

/// A GitHub-like synthetic document: many operations sharing component schemas, parameters and
/// responses by reference.
fn synthetic(operations: usize, schemas: usize) -> String {
    let mut out = String::with_capacity(operations * 700);
    out.push_str(r#"{"openapi":"3.0.3","info":{"title":"Synthetic","version":"1"},"paths":{"#);
    for i in 0..operations / 4 {
        if i > 0 {
            out.push(',');
        }
        let s = i % schemas;
        let t = (i * 7 + 3) % schemas;
        write!(
            out,
            r##""/things{i}/{{id}}":{{"parameters":[{{"$ref":"#/components/parameters/Id"}}],
"get":{{"operationId":"get{i}","tags":["t{tag}"],"parameters":[{{"$ref":"#/components/parameters/Page"}},{{"name":"q","in":"query","schema":{{"type":"string","nullable":true}}}}],
 "responses":{{"200":{{"description":"OK","content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/S{s}"}}}}}}}},"404":{{"$ref":"#/components/responses/NotFound"}}}}}},
"put":{{"operationId":"put{i}","requestBody":{{"content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/S{t}"}}}}}}}},
 "responses":{{"200":{{"description":"OK","content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/S{s}"}}}}}}}}}}}},
"patch":{{"operationId":"patch{i}","requestBody":{{"content":{{"application/json":{{"schema":{{"type":"object","properties":{{"a":{{"type":"integer","minimum":0,"exclusiveMinimum":true}},"b":{{"$ref":"#/components/schemas/S{t}"}}}}}}}}}}}},
 "responses":{{"204":{{"description":"Done"}}}}}},
"delete":{{"operationId":"delete{i}","responses":{{"204":{{"description":"Gone"}},"404":{{"$ref":"#/components/responses/NotFound"}}}}}}}}"##,
            tag = i % 40
        )
        .unwrap();
    }
    out.push_str(r##"},"components":{"parameters":{"Id":{"name":"id","in":"path","required":true,"schema":{"type":"integer"}},"Page":{"name":"page","in":"query","schema":{"type":"integer","default":1}}},"responses":{"NotFound":{"description":"Not found","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}}},"schemas":{"Error":{"type":"object","properties":{"message":{"type":"string"}}}"##);
    for i in 0..schemas {
        let a = (i + 1) % schemas;
        let b = (i * 3 + 2) % schemas;
        write!(
            out,
            r##","S{i}":{{"type":"object","required":["id","name"],"properties":{{"id":{{"type":"integer","format":"int64"}},"name":{{"type":"string","example":"n{i}"}},"created":{{"type":"string","format":"date-time"}},"tags":{{"type":"array","items":{{"type":"string"}}}},"child":{{"$ref":"#/components/schemas/S{a}"}},"other":{{"allOf":[{{"$ref":"#/components/schemas/S{b}"}}],"nullable":true}}}}}}"##
        )
        .unwrap();
    }
    out.push_str("}}}");
    out
}

#[test]
fn synthetic_ten_thousand_operations() {
    let text = synthetic(10_000, 1_000);
    let spec = time_import("synthetic 10k operations", &text);
    assert_eq!(spec.operations.len(), 10_000);
    assert_eq!(spec.schemas.len(), 1_001);
}

/// Shaped like GitHub's REST description (about 13 MB, 1,223 operations, ~900 schemas, long
/// Markdown descriptions, large shared examples), with made-up content.
fn github_like() -> String {
    const OPERATIONS: usize = 1_223;
    const SCHEMAS: usize = 900;
    const EXAMPLES: usize = 1_200;
    let prose = "Lists the things of the authenticated user.\\n\\nThis endpoint supports \
        **Markdown**, `code`, and [links](https://docs.example.com/rest).\\n\\n> [!NOTE]\\n> \
        Results are paginated; see \\\"Using pagination in the REST API.\\\"\\n";
    let mut out = String::with_capacity(14 << 20);
    out.push_str(r#"{"openapi":"3.0.3","info":{"title":"Big","version":"1.1.4","description":"GitHub-like"},"servers":[{"url":"https://api.example.com"}],"paths":{"#);
    let mut written = 0;
    let mut path = 0;
    while written < OPERATIONS {
        if path > 0 {
            out.push(',');
        }
        write!(out, r#""/repos/{{owner}}/{{repo}}/things{path}/{{id}}":{{"#).unwrap();
        let methods = ["get", "post", "patch", "delete"];
        let count = 1 + path % 3;
        for (m, method) in methods
            .iter()
            .take(count.min(OPERATIONS - written))
            .enumerate()
        {
            if m > 0 {
                out.push(',');
            }
            let s = (path * 7 + m) % SCHEMAS;
            let e = (path * 3 + m) % EXAMPLES;
            write!(
                out,
                r##""{method}":{{"summary":"Do thing {path}","description":"{prose}{prose}{prose}","tags":["t{tag}"],"operationId":"things/{method}-{path}","externalDocs":{{"description":"API method documentation","url":"https://docs.example.com/rest/things#{path}"}},
"parameters":[{{"$ref":"#/components/parameters/owner"}},{{"$ref":"#/components/parameters/repo"}},{{"$ref":"#/components/parameters/per-page"}},{{"$ref":"#/components/parameters/page"}},{{"name":"id","in":"path","required":true,"schema":{{"type":"integer"}}}}],
{body}"responses":{{"200":{{"description":"Response","content":{{"application/json":{{"schema":{{"type":"array","items":{{"$ref":"#/components/schemas/s{s}"}}}},"examples":{{"default":{{"$ref":"#/components/examples/e{e}"}}}}}}}},"headers":{{"Link":{{"$ref":"#/components/headers/link"}}}}}},"304":{{"$ref":"#/components/responses/not_modified"}},"403":{{"$ref":"#/components/responses/forbidden"}},"404":{{"$ref":"#/components/responses/not_found"}}}},"x-github":{{"githubCloudOnly":false,"enabledForGitHubApps":true,"category":"things","subcategory":"things"}}}}"##,
                tag = path % 40,
                body = if *method == "get" || *method == "delete" {
                    String::new()
                } else {
                    format!(r##""requestBody":{{"required":true,"content":{{"application/json":{{"schema":{{"type":"object","properties":{{"name":{{"type":"string","description":"The name."}},"private":{{"type":"boolean","default":false}},"owner":{{"$ref":"#/components/schemas/s{s}"}}}},"required":["name"]}},"examples":{{"default":{{"value":{{"name":"x","private":true}}}}}}}}}}}},"##)
                }
            )
            .unwrap();
            written += 1;
        }
        out.push('}');
        path += 1;
    }
    out.push_str(r##"},"components":{"parameters":{"owner":{"name":"owner","description":"The account owner. The name is not case sensitive.","in":"path","required":true,"schema":{"type":"string"}},"repo":{"name":"repo","description":"The name of the repository without the `.git` extension.","in":"path","required":true,"schema":{"type":"string"}},"per-page":{"name":"per_page","description":"The number of results per page (max 100).","in":"query","schema":{"type":"integer","default":30}},"page":{"name":"page","description":"The page number of the results to fetch.","in":"query","schema":{"type":"integer","default":1}}},"headers":{"link":{"example":"<https://api.example.com/x?page=2>; rel=\"next\"","schema":{"type":"string"}}},"responses":{"not_modified":{"description":"Not modified"},"forbidden":{"description":"Forbidden","content":{"application/json":{"schema":{"$ref":"#/components/schemas/basic-error"}}}},"not_found":{"description":"Resource not found","content":{"application/json":{"schema":{"$ref":"#/components/schemas/basic-error"}}}}},"schemas":{"basic-error":{"title":"Basic Error","type":"object","properties":{"message":{"type":"string"},"documentation_url":{"type":"string"},"url":{"type":"string"},"status":{"type":"string"}}},"simple-user":{"title":"Simple User","type":"object","properties":{"name":{"type":"string","nullable":true},"email":{"type":"string","nullable":true},"login":{"type":"string","example":"octocat"},"id":{"type":"integer","format":"int64","example":1},"node_id":{"type":"string"},"avatar_url":{"type":"string","format":"uri"},"gravatar_id":{"type":"string","nullable":true},"url":{"type":"string","format":"uri"},"html_url":{"type":"string","format":"uri"},"type":{"type":"string"},"site_admin":{"type":"boolean"}},"required":["login","id","node_id","avatar_url","url","html_url","type","site_admin"]}"##);
    for i in 0..SCHEMAS {
        write!(out, r##","s{i}":{{"title":"Thing {i}","description":"{prose}","type":"object","properties":{{"##).unwrap();
        for p in 0..16 {
            if p > 0 {
                out.push(',');
            }
            match p % 4 {
                0 => write!(out, r##""p{p}":{{"type":"string","description":"{prose}","example":"value {p}"}}"##),
                1 => write!(out, r##""p{p}":{{"type":"integer","nullable":true,"minimum":0,"description":"A count."}}"##),
                2 => write!(out, r##""p{p}":{{"$ref":"#/components/schemas/simple-user"}}"##),
                _ => write!(out, r##""p{p}":{{"allOf":[{{"$ref":"#/components/schemas/s{}"}}],"nullable":true}}"##, (i + 1 + p) % SCHEMAS),
            }
            .unwrap();
        }
        out.push_str(r#"},"required":["p0","p1","p2"]}"#);
    }
    out.push_str(r#"},"examples":{"#);
    for e in 0..EXAMPLES {
        if e > 0 {
            out.push(',');
        }
        write!(out, r#""e{e}":{{"value":["#).unwrap();
        for item in 0..14 {
            if item > 0 {
                out.push(',');
            }
            write!(out, r#"{{"id":{item},"node_id":"MDQ6VXNlcjE=","name":"Thing {e}-{item}","owner":{{"login":"octocat","id":1,"avatar_url":"https://example.com/images/error/octocat_happy.gif","url":"https://api.example.com/users/octocat","html_url":"https://example.com/octocat","type":"User","site_admin":false}},"private":false,"description":"This your first repo!","created_at":"2011-01-26T19:01:12Z","topics":["octocat","atom","electron","api"],"permissions":{{"admin":false,"push":false,"pull":true}}}}"#).unwrap();
        }
        out.push_str("]}");
    }
    out.push_str("}}}");
    out
}

#[test]
fn synthetic_github_sized() {
    let text = github_like();
    let spec = time_import("synthetic GitHub-sized", &text);
    assert_eq!(spec.operations.len(), 1_223);
    assert!(spec.warnings.len() <= 1, "{:?}", spec.warnings.first());
}
