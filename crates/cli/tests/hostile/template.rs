//! Hostile cases: template. Row 06: a 1 KB Postman collection whose variables double at every
//! level (`a1 = {{a0}}{{a0}}`, ... 40 levels) would expand to terabytes when a request is
//! resolved; export (like the window opening the tab) ends at once with `TooLarge`.

use crate::harness::Sandbox;

/// The nested-variable collection: `a0` a short seed, `a{n}` twice `a{n-1}`, one request whose
/// URL is `{{a40}}`.
fn nested_collection(levels: usize) -> String {
    let mut vars = vec![r#"{"key":"a0","value":"0123456789"}"#.to_owned()];
    for i in 1..=levels {
        let p = i - 1;
        vars.push(format!(
            r#"{{"key":"a{i}","value":"{{{{a{p}}}}}{{{{a{p}}}}}"}}"#
        ));
    }
    format!(
        r#"{{"info":{{"name":"Nested","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}},"variable":[{}],"item":[{{"name":"Boom","request":{{"method":"GET","url":"http://127.0.0.1:9/{{{{a{levels}}}}}"}}}}]}}"#,
        vars.join(",")
    )
}

#[test]
fn row_06_nested_variables_end_in_too_large() {
    let sandbox = Sandbox::new();
    let text = nested_collection(40);
    assert!(
        text.len() < 2048,
        "the attack is small: {} bytes",
        text.len()
    );
    let file = sandbox.write(
        "06-nested-variables.postman_collection.json",
        text.as_bytes(),
    );
    let ws = sandbox.work().join("ws");
    let (file, ws) = (file.to_str().unwrap(), ws.to_str().unwrap());
    let imported = sandbox.run(&["import", "postman", file, "--out", ws]);
    imported.assert_ok();

    let run = sandbox.run(&["export", "curl", "nested", "--workspace", ws]);
    run.assert_error("TooLarge")
        .assert_error("templating budget of 10000 substitutions");
    sandbox.assert_no_canary(&run.output());
}
