//! "Try it" end to end: the FastAPI demo's own document is imported through the app, a request
//! is built for every operation with `request_for`, and each is sent. The demo promises that
//! its example values succeed, so anything but a 2xx is a bug on one side or the other.

use std::io::Write;

use anyhow::{bail, ensure, Context};
use sextant_app::{App, AppConfig};
use sextant_model::{PartValue, RequestBody};
use sextant_openapi::{request_for, TryItOptions, TryItRequest};
use sextant_testkit::PyServer;

/// What the UI will do when it asks the user for the missing files: point each at a file and
/// switch the part on.
fn fill_missing_files(tried: &mut TryItRequest, file: &std::path::Path) -> anyhow::Result<()> {
    let RequestBody::Multipart { parts } = &mut tried.request.body else {
        bail!(
            "missing files {:?} outside a multipart body",
            tried.missing_files
        );
    };
    for name in &tried.missing_files {
        let part = parts
            .iter_mut()
            .find(|p| &p.name == name)
            .with_context(|| format!("no part {name}"))?;
        let PartValue::File { path, .. } = &mut part.value else {
            bail!("part {name} is not a file part");
        };
        *path = file.to_string_lossy().into_owned();
        part.enabled = true;
    }
    Ok(())
}

/// What the user does after "Fill in: username, password.": types into the form fields Try it
/// switched on and left empty (credentials the document gives no value for).
fn fill_credentials(tried: &mut TryItRequest) {
    if let RequestBody::Form { fields } = &mut tried.request.body {
        for field in fields
            .iter_mut()
            .filter(|f| f.enabled && f.value.is_empty())
        {
            field.value = format!("demo-{}", field.name);
        }
    }
}

#[tokio::test]
async fn every_demo_operation_succeeds_with_its_example_request() -> anyhow::Result<()> {
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir()?;
    let app = App::new(AppConfig::new(dir.path().join("data")))?;
    let spec_url = api.url("/openapi.json");
    let spec = app.import_openapi(&spec_url).await?;
    ensure!(!spec.operations.is_empty(), "the demo has no operations");

    let upload_path = dir.path().join("hello.txt");
    std::fs::File::create(&upload_path)?.write_all(b"hello")?;

    let options = TryItOptions {
        server_url: Some(api.base_url()),
        base_url_for_relative: None,
        ..TryItOptions::default()
    };
    let relative = TryItOptions {
        server_url: None,
        base_url_for_relative: Some(spec_url.clone()),
        ..TryItOptions::default()
    };
    let mut table = Vec::new();
    let mut failures = Vec::new();
    for (i, op) in spec.operations.iter().enumerate() {
        let mut tried = request_for(&spec, op, &options);
        assert_eq!(
            tried.request.url,
            request_for(&spec, op, &relative).request.url,
            "{}: the demo's relative server `/` resolves to the same place",
            op.id
        );
        if !tried.missing_files.is_empty() {
            fill_missing_files(&mut tried, &upload_path)?;
        }
        fill_credentials(&mut tried);
        let label = format!("{} {}", op.method, op.path);
        match app
            .send_request(&format!("try-{i}"), &tried.request, &|_| {})
            .await
        {
            Ok(response) => {
                let ok = (200..300).contains(&response.status) && response.error.is_none();
                let mut outcome = response.status.to_string();
                if !response.redirects.is_empty() {
                    outcome += &format!(" (after {} redirect(s))", response.redirects.len());
                }
                if !ok {
                    let body = app.read_body(&response.id, 0, 2048).await?;
                    failures.push(format!(
                        "{label}: {} {:?} {}",
                        response.status,
                        response.error,
                        String::from_utf8_lossy(&body)
                    ));
                }
                if op.id == "upload_file" {
                    let body = app.read_body(&response.id, 0, 4096).await?;
                    let result = String::from_utf8_lossy(&body);
                    ensure!(
                        result.contains(r#""filename":"hello.txt""#)
                            && result.contains(r#""size":5"#),
                        "the upload did not carry the file: {result}"
                    );
                }
                table.push((op.id.clone(), label, outcome));
            }
            Err(err) => {
                failures.push(format!("{label}: {err:?}"));
                table.push((op.id.clone(), label, format!("error: {}", err.message)));
            }
        }
    }

    println!("{:<16} {:<28} status", "operation", "request");
    for (id, label, outcome) in &table {
        println!("{id:<16} {label:<28} {outcome}");
    }
    for expected in ["create_item", "upload_file", "redirect", "echo", "login"] {
        ensure!(
            table.iter().any(|(id, ..)| id == expected),
            "the demo no longer has {expected}"
        );
    }
    ensure!(failures.is_empty(), "failed:\n{}", failures.join("\n"));
    Ok(())
}
