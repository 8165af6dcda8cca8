//! Properties of templating over arbitrary input: it never panics, text without `{{` comes back
//! unchanged, and resolution over any finite scope ends within the budgets.

use proptest::prelude::*;
use sextant_model::{HttpRequest, KeyValue, RequestBody, SavedRequest, Variable};
use sextant_template::{
    resolve, undefined, variables_in, Context, ResolveOptions, TemplateError, MAX_REQUEST_BYTES,
};

const SEND: ResolveOptions = ResolveOptions {
    reveal_secrets: true,
};

fn request(url: &str, body: &str) -> SavedRequest {
    let mut req = HttpRequest::get(url);
    req.headers.push(KeyValue::new("X-T", body));
    req.body = RequestBody::Text {
        content_type: "text/plain".into(),
        text: body.to_owned(),
    };
    SavedRequest::new("r", req)
}

/// Text made mostly of braces, names and the characters that end a name.
fn template() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{{".to_owned()),
        Just("}}".to_owned()),
        Just("{".to_owned()),
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just("$uuid".to_owned()),
        Just("$randomInt 1 6".to_owned()),
        "[a-d]",
        "\\PC{0,3}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

/// Values that refer to the names `a`..`d`, often more than once.
fn scope() -> impl Strategy<Value = Vec<Variable>> {
    let value = prop::collection::vec(
        prop_oneof![
            "[a-d]{0,3}".prop_map(|n| format!("{{{{{n}}}}}")),
            "[x-z]{0,8}",
        ],
        0..6,
    )
    .prop_map(|p| p.concat());
    prop::collection::vec(("[a-d]", value, any::<bool>()), 0..8).prop_map(|vars| {
        vars.into_iter()
            .map(|(name, value, secret)| {
                if secret {
                    Variable::secret(name, value)
                } else {
                    Variable::new(name, value)
                }
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn arbitrary_templates_never_panic(text in template(), vars in scope()) {
        let mut req = request(&text, &text);
        req.variables = vars;
        let _ = resolve(&req, &Context::default(), &SEND);
        let _ = resolve(&req, &Context::default(), &ResolveOptions::default());
        let _ = undefined(&req, &Context::default());
        for span in variables_in(&text) {
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
    }

    #[test]
    fn text_without_braces_comes_back_unchanged(text in "[^{]*", vars in scope()) {
        let mut req = request(&text, &text);
        req.variables = vars;
        let resolved = resolve(&req, &Context::default(), &SEND).unwrap();
        prop_assert_eq!(&resolved.request.url, &text);
        prop_assert_eq!(&resolved.request.headers[0].value, &text);
        prop_assert!(resolved.used.is_empty());
    }

    #[test]
    fn finite_scopes_resolve_within_the_budget(vars in scope(), fan_out in 1usize..40) {
        let url = "{{a}}{{b}}{{c}}{{d}}".repeat(fan_out);
        let mut req = request(&url, &url);
        req.variables = vars;
        match resolve(&req, &Context::default(), &SEND) {
            Ok(resolved) => {
                prop_assert!(resolved.request.url.len() <= url.len() + MAX_REQUEST_BYTES);
            }
            Err(TemplateError::Undefined { names }) => prop_assert!(!names.is_empty()),
            Err(_) => {}
        }
    }
}
