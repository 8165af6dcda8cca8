//! Hostile documents at the reader (issue 10): `$ref`s that reach outside the spec's folder,
//! YAML aliases that repeat one big string, flow nesting far past the cap, integers past 64 bits.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use sextant_openapi::{parse_file, parse_str, ApiSpec, ImportError, MAX_NESTING};

/// A spec folder and, beside it, a "home" with a secret in it.
struct Place {
    _tmp: tempfile::TempDir,
    spec_dir: PathBuf,
    secret_file: PathBuf,
    secret: &'static str,
}

const SECRET: &str = "CANARY-hostile-reader-DO-NOT-LEAK";

fn place() -> Place {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let spec_dir = base.join("specs/api");
    std::fs::create_dir_all(spec_dir.join("schemas")).unwrap();
    std::fs::create_dir_all(base.join("home/.ssh")).unwrap();
    let secret_file = base.join("home/.ssh/id_rsa.json");
    // A JSON file with a `value`, as the issue's attack used (copied into request bodies).
    std::fs::write(
        &secret_file,
        format!(r#"{{"type": "string", "example": "{SECRET}", "value": "{SECRET}"}}"#),
    )
    .unwrap();
    std::fs::write(
        spec_dir.join("schemas/pet.yaml"),
        "Pet:\n  type: object\n  properties:\n    name: {type: string, example: Rex}\n",
    )
    .unwrap();
    Place {
        _tmp: tmp,
        spec_dir,
        secret_file,
        secret: SECRET,
    }
}

/// A spec whose schema `Pet` comes from the folder and whose `Leak*` schemas name `refs`.
fn spec_with_refs(refs: &[String]) -> String {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Refs, version: '1'}\npaths:\n  /pets:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Leak0'}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'schemas/pet.yaml#/Pet'}\ncomponents:\n  schemas:\n",
    );
    for (i, reference) in refs.iter().enumerate() {
        text.push_str(&format!("    Leak{i}: {{$ref: '{reference}'}}\n"));
    }
    text
}

fn import_in(place: &Place, text: &str) -> ApiSpec {
    let path = place.spec_dir.join("openapi.yaml");
    std::fs::write(&path, text).unwrap();
    parse_file(&path).unwrap()
}

/// Each `Leak*` schema's warning, by index.
fn leak_warnings(spec: &ApiSpec, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let at = format!("/components/schemas/Leak{i}/$ref");
            spec.warnings
                .iter()
                .find(|w| w.pointer == at)
                .unwrap_or_else(|| panic!("no warning at {at}: {:?}", spec.warnings))
                .message
                .clone()
        })
        .collect()
}

#[test]
fn refs_outside_the_folder_are_refused_without_reading_or_revealing_them() {
    let place = place();
    let secret = place.secret_file.to_string_lossy().into_owned();
    let missing = format!("{secret}.missing");
    let refs = vec![
        secret.clone(),
        missing.clone(),
        "../../home/.ssh/id_rsa.json".to_owned(),
        "../../home/.ssh/missing.json".to_owned(),
        "schemas/../../../home/.ssh/id_rsa.json#/example".to_owned(),
        format!("/{secret}"),
        "//host/share/x.yaml".to_owned(),
        "\\\\host\\share\\x.yaml".to_owned(),
        format!("file://{secret}"),
    ];
    let spec = import_in(&place, &spec_with_refs(&refs));
    let messages = leak_warnings(&spec, refs.len());
    let everything = serde_json::to_string(&spec).unwrap();
    assert!(!everything.contains(place.secret), "{everything}");

    // The same reason for an existing and a missing target, and nothing read either way.
    let reason = |m: &str| m.split_once("not followed: ").unwrap().1.to_owned();
    for message in &messages[..8] {
        assert_eq!(
            reason(message),
            "it points outside the spec's folder; only files in that folder or below it are read",
            "{message}"
        );
    }
    assert!(
        messages[8].contains("URLs are not followed"),
        "{}",
        messages[8]
    );
    assert!(
        messages.iter().all(|m| !m.contains("No such file")),
        "{messages:?}"
    );

    // What is inside the folder still imports.
    let pet = &spec.operations[0].responses[0].content[0].schema;
    assert!(pet.property("name").is_some(), "{pet:?}");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_folder_are_refused_alike() {
    let place = place();
    let home = place.secret_file.parent().unwrap();
    std::os::unix::fs::symlink(&place.secret_file, place.spec_dir.join("key.json")).unwrap();
    std::os::unix::fs::symlink(home.join("gone.json"), place.spec_dir.join("gone.json")).unwrap();
    std::os::unix::fs::symlink("../../home/.ssh", place.spec_dir.join("ssh")).unwrap();
    std::os::unix::fs::symlink("schemas", place.spec_dir.join("models")).unwrap();
    let refs: Vec<String> = ["key.json", "gone.json", "ssh/id_rsa.json", "ssh/none.json"]
        .map(String::from)
        .to_vec();
    let mut text = spec_with_refs(&refs);
    text = text.replace("schemas/pet.yaml#/Pet", "models/pet.yaml#/Pet");
    let spec = import_in(&place, &text);
    let messages = leak_warnings(&spec, refs.len());
    assert!(
        messages
            .iter()
            .all(|m| m.contains("outside the spec's folder")),
        "{messages:?}"
    );
    assert!(!serde_json::to_string(&spec).unwrap().contains(place.secret));
    let pet = &spec.operations[0].responses[0].content[0].schema;
    assert!(
        pet.property("name").is_some(),
        "a link inside the folder is followed"
    );
}

#[test]
fn a_missing_file_inside_the_folder_still_says_so() {
    let place = place();
    let spec = import_in(&place, &spec_with_refs(&["schemas/none.yaml".to_owned()]));
    let messages = leak_warnings(&spec, 1);
    assert!(
        messages[0].contains("cannot read schemas/none.yaml"),
        "{messages:?}"
    );
}

/// One big string and many aliases to it: few nodes, gigabytes expanded.
fn one_big_string_many_aliases(merge: bool) -> String {
    let big = "x".repeat(1 << 20);
    let mut text = String::from("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    if merge {
        text.push_str(&format!("base: &b {{description: {big}}}\ncopies:\n"));
        for i in 0..4_000 {
            text.push_str(&format!("  c{i}: {{<<: *b}}\n"));
        }
    } else {
        text.push_str(&format!("big: &b {big}\ncopies:\n"));
        for _ in 0..4_000 {
            text.push_str("  - *b\n");
        }
    }
    text
}

#[test]
fn aliases_repeating_a_big_string_are_refused_by_bytes() {
    let place = place();
    for merge in [false, true] {
        let text = one_big_string_many_aliases(merge);
        let path = place.spec_dir.join("bomb.yaml");
        std::fs::write(&path, &text).unwrap();
        for err in [
            parse_str(&text).unwrap_err(),
            parse_file(&path).unwrap_err(),
        ] {
            let ImportError::AliasBytes { limit, line, .. } = &err else {
                panic!("expected AliasBytes (merge: {merge}), got {err:?}");
            };
            assert!(*limit < 64 << 20, "{limit}");
            assert!(*line >= 1);
            assert!(err.to_string().contains("bytes of text"), "{err}");
        }
    }
}

#[test]
fn aliases_used_for_reuse_stay_within_the_byte_budget() {
    let description = "d".repeat(2_000);
    let mut text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\ncomponents:\n  responses:\n    Ok: &ok\n      description: {description}\npaths:\n"
    );
    for i in 0..500 {
        text.push_str(&format!(
            "  /p{i}:\n    get:\n      responses:\n        '200': *ok\n"
        ));
    }
    let spec = parse_str(&text).expect("reuse within the budget imports");
    assert_eq!(spec.operations.len(), 500);
}

fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn flow_nesting_a_hundred_thousand_deep_ends_with_the_depth_error() {
    let n = 100_000;
    let cases = [
        (
            format!(
                "openapi: 3.1.0\npaths: {}{}\n",
                "[".repeat(n),
                "]".repeat(n)
            ),
            "/paths/0",
        ),
        (
            format!("openapi: 3.1.0\npaths: {}\n", "[".repeat(n)),
            "/paths/0",
        ),
        (
            format!("openapi: 3.1.0\npaths: !t &a {}1\n", "{a: ".repeat(n)),
            "/paths/a",
        ),
        (
            format!("openapi: 3.1.0\npaths:\n  - x: {}\n", "[{k: ".repeat(n / 2)),
            "/paths/0/x/0/k",
        ),
    ];
    for (text, prefix) in cases {
        let started = Instant::now();
        let err = on_small_stack(move || parse_str(&text).unwrap_err());
        // A ceiling for a hang, not a performance assertion (it took 67 s before).
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
        let ImportError::TooDeep {
            pointer,
            line,
            column,
        } = &err
        else {
            panic!("expected TooDeep, got {err:?}");
        };
        assert!(pointer.starts_with(prefix), "{pointer}");
        assert!(pointer.matches('/').count() >= MAX_NESTING - 1, "{pointer}");
        assert!(*line >= 2 && *column >= 1, "{err}");
    }
}

#[test]
fn the_pre_scan_reports_what_the_parser_would() {
    // Just past the cap, where the parser alone is fast: the same error either way.
    let depth = MAX_NESTING + 3;
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: t}}\npaths:\n  /a: {}1{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let err = parse_str(&text).unwrap_err();
    let ImportError::TooDeep { pointer, line, .. } = &err else {
        panic!("{err:?}");
    };
    assert!(pointer.starts_with("/paths/~1a/0/0"), "{pointer}");
    assert_eq!(*line, 4);
}

#[test]
fn brackets_in_text_are_not_nesting() {
    let brackets = "[".repeat(300);
    let text = format!(
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n  description: |\n    {brackets}\n    more {brackets}\npaths:\n  /a:\n    get:\n      summary: \"{brackets}\"\n      description: '{brackets}' # {brackets}\n      tags: [\"{brackets}\", x]\n      responses:\n        '200':\n          description: plain {brackets}\n"
    );
    let spec = parse_str(&text).expect("brackets inside strings import");
    assert_eq!(
        spec.operations[0].summary.as_deref(),
        Some(brackets.as_str())
    );
}

#[test]
fn a_syntax_error_before_deep_nesting_is_reported_as_such() {
    let text = format!(
        "openapi: 3.1.0\npaths: {{d: plain [x], e: {}}}\n",
        "[".repeat(MAX_NESTING * 2)
    );
    let err = parse_str(&text).unwrap_err();
    assert!(
        matches!(err, ImportError::Syntax { line: 2, .. }),
        "{err:?}"
    );
}

#[test]
fn yaml_integers_past_64_bits_read_as_json_reads_them() {
    let yaml = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Big:\n      const: 18446744073709551616\n      maximum: 340282366920938463463374607431768211455\n      enum: [-170141183460469231731687303715884105728, 18446744073709551616]\n";
    let json = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"Big": {"const": 18446744073709551616,
        "maximum": 340282366920938463463374607431768211455,
        "enum": [-170141183460469231731687303715884105728, 18446744073709551616]}}}}"#;
    let from_yaml = parse_str(yaml).expect("big integers import");
    let from_json = parse_str(json).unwrap();
    let (a, b) = (&from_yaml.schemas[0].schema, &from_json.schemas[0].schema);
    assert_eq!(a.const_value, b.const_value);
    assert_eq!(
        a.const_value.as_ref().unwrap().as_f64(),
        Some(18446744073709551616.0)
    );
    assert_eq!(a.maximum, b.maximum);
    assert_eq!(a.enum_values, b.enum_values);
    let keyed = parse_str("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx:\n  18446744073709551616: big key\n");
    assert!(keyed.is_ok(), "{keyed:?}");
}
