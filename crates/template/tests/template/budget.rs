//! Expansion budgets: variables that double at every level, huge values and many substitutions
//! end in `TooLarge` naming the budget and the variable, quickly, while ordinary large requests
//! still resolve.

use sextant_model::{
    ErrorCode, FolderSettings, HttpRequest, KeyValue, RequestBody, SavedRequest, Variable,
};
use sextant_template::{
    resolve, undefined, Budget, Context, ResolveOptions, TemplateError, MAX_EXPANSIONS,
    MAX_VALUE_BYTES,
};

const SEND: ResolveOptions = ResolveOptions {
    reveal_secrets: true,
};

/// `a0 = seed`, `a{n} = {{a{n-1}}}` repeated `fan_out` times, up to `a{levels}`.
fn doubling(levels: usize, fan_out: usize, seed: &str) -> Vec<Variable> {
    let mut vars = vec![Variable::new("a0", seed)];
    for i in 1..=levels {
        vars.push(Variable::new(
            format!("a{i}"),
            format!("{{{{a{}}}}}", i - 1).repeat(fan_out),
        ));
    }
    vars
}

fn collection(vars: Vec<Variable>) -> Vec<FolderSettings> {
    vec![FolderSettings {
        variables: vars,
        ..FolderSettings::default()
    }]
}

fn too_large(result: Result<impl std::fmt::Debug, TemplateError>) -> (String, Budget) {
    match result {
        Err(TemplateError::TooLarge { name, budget }) => (name, budget),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn forty_doubling_levels_stop_at_the_substitution_budget() {
    let chain = collection(doubling(40, 2, "0123456789abcdef"));
    let ctx = Context {
        chain: &chain,
        ..Context::default()
    };
    let req = SavedRequest::new("r", HttpRequest::get("http://h/{{a40}}"));
    let err = resolve(&req, &ctx, &SEND).unwrap_err();
    assert!(matches!(
        err,
        TemplateError::TooLarge {
            budget: Budget::Expansions,
            ..
        }
    ));
    let api: sextant_model::ApiError = err.into();
    assert_eq!(api.code, ErrorCode::TooLarge);
    assert!(
        api.message.contains("10000 substitutions"),
        "{}",
        api.message
    );
    // The composer's check walks the same renderer and ends too.
    assert!(undefined(&req, &ctx).is_empty());
}

#[test]
fn a_value_past_one_mebibyte_is_refused_naming_it() {
    // Fan-out 4 from 16 KiB: `a3` is exactly 1 MiB, `a4` would be 4 MiB; a few hundred
    // substitutions, far from that budget.
    let chain = collection(doubling(10, 4, &"x".repeat(16 * 1024)));
    let ctx = Context {
        chain: &chain,
        ..Context::default()
    };
    let req = SavedRequest::new("r", HttpRequest::get("http://h/{{a10}}"));
    let (name, budget) = too_large(resolve(&req, &ctx, &SEND));
    assert_eq!(budget, Budget::ValueBytes);
    assert_eq!(name, "a4");
}

#[test]
fn many_fields_together_hit_the_request_budget() {
    // Each header value is 900 KiB: under the per-value budget, but ten of them are not.
    let big = "y".repeat(900 * 1024);
    let mut req = SavedRequest::new("r", HttpRequest::get("http://h/"));
    req.variables = vec![Variable::new("big", &big)];
    req.request.headers = (0..10)
        .map(|i| KeyValue::new(format!("X-{i}"), "{{big}}"))
        .collect();
    let (name, budget) = too_large(resolve(&req, &Context::default(), &SEND));
    assert_eq!((name.as_str(), budget), ("big", Budget::RequestBytes));
}

#[test]
fn budgets_leave_ordinary_requests_alone() {
    // Literal text is not counted: a 20 MiB body typed as is resolves.
    let mut req = SavedRequest::new("r", HttpRequest::get("http://h/{{a8}}"));
    req.request.body = RequestBody::Text {
        content_type: "text/plain".into(),
        text: "z".repeat(20 * 1024 * 1024),
    };
    // 2^8 = 256 leaves of 1 KiB: 256 KiB of value and 511 substitutions.
    req.variables = doubling(8, 2, &"k".repeat(1024));
    let resolved = resolve(&req, &Context::default(), &SEND).unwrap();
    assert_eq!(resolved.request.url.len(), "http://h/".len() + 256 * 1024);
    // A value just under a mebibyte is fine.
    req.variables = vec![Variable::new("a8", "v".repeat(MAX_VALUE_BYTES - 16))];
    assert!(resolve(&req, &Context::default(), &SEND).is_ok());
}

#[test]
fn the_substitution_budget_counts_every_reference() {
    let mut req = SavedRequest::new("r", HttpRequest::get("http://h/"));
    req.variables = vec![Variable::new("v", "1")];
    req.request.body = RequestBody::Text {
        content_type: "text/plain".into(),
        text: "{{v}}".repeat(MAX_EXPANSIONS),
    };
    assert!(resolve(&req, &Context::default(), &SEND).is_ok());
    req.request.url = "http://h/{{v}}".into();
    let (name, budget) = too_large(resolve(&req, &Context::default(), &SEND));
    assert_eq!((name.as_str(), budget), ("v", Budget::Expansions));
}

#[test]
fn a_cycle_is_still_reported_as_a_cycle() {
    let mut req = SavedRequest::new("r", HttpRequest::get("http://h/{{a}}"));
    req.variables = vec![Variable::new("a", "{{b}}"), Variable::new("b", "{{a}}")];
    assert!(matches!(
        resolve(&req, &Context::default(), &SEND),
        Err(TemplateError::Cycle { .. })
    ));
}
