//! Client certificates (mTLS) in the real window: a certificate added in the collection's
//! settings (Certificates tab) is written to `collection.yaml` as paths, and a request of that
//! collection sent to a server that requires a client certificate gets its 200. A PKCS#12 bundle
//! with its password typed in the passphrase field works the same, the password kept out of the
//! file.

use anyhow::{ensure, Result};
use sextant_e2e::Window;
use sextant_testkit::{MtlsServer, PemPair};

/// What the Certificates tab gets: files written into the collection's `certs/` folder, and the
/// fields typed.
struct Entry {
    files: Vec<(&'static str, Vec<u8>)>,
    cert: &'static str,
    key: &'static str,
    passphrase: &'static str,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_set_in_collection_settings_is_presented_to_the_server() -> Result<()> {
    let server = MtlsServer::start();
    let pair = server.client();
    let entry = Entry {
        files: vec![
            ("client.pem", pair.cert_pem.into_bytes()),
            ("client.key", pair.key_pem.into_bytes()),
        ],
        cert: "certs/client.pem",
        key: "certs/client.key",
        passphrase: "",
    };
    let w = Window::open().await?;
    let result = scenario(&w, &server, &entry).await;
    w.finish("client_certs", result).await
}

const P12_PASSWORD: &str = "p12-password-Q7x";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pkcs12_bundle_with_its_password_is_presented_to_the_server() -> Result<()> {
    let server = MtlsServer::start();
    let entry = Entry {
        files: vec![("client.p12", pkcs12(&server.client(), P12_PASSWORD))],
        cert: "certs/client.p12",
        key: "",
        passphrase: P12_PASSWORD,
    };
    let w = Window::open().await?;
    let result = scenario(&w, &server, &entry).await;
    w.finish("client_certs_p12", result).await
}

/// `pair` as a PKCS#12 bundle locked with `password`.
fn pkcs12(pair: &PemPair, password: &str) -> Vec<u8> {
    use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
    let der = |pem_text: &str| pkcs8::der::pem::decode_vec(pem_text.as_bytes()).unwrap().1;
    let chain = PrivateKeyChain::new(
        b"client".as_slice(),
        PrivateKey::from_der(&der(&pair.key_pem)).unwrap(),
        [Certificate::from_der(&der(&pair.cert_pem)).unwrap()],
    );
    let mut store = KeyStore::new();
    store.add_entry("client", KeyStoreEntry::PrivateKeyChain(chain));
    store.writer(password).write().unwrap()
}

async fn scenario(w: &Window, server: &MtlsServer, entry: &Entry) -> Result<()> {
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;
    let collection = w.data_dir.path().join("workspace/demo-api");
    let certs = collection.join("certs");
    std::fs::create_dir_all(&certs)?;
    for (name, bytes) in &entry.files {
        std::fs::write(certs.join(name), bytes)?;
    }

    // The collection's settings, from the tree's context menu: one certificate for localhost.
    w.on_text("[data-testid=tree-row] .name",
        "Demo API",
        "const row = el.closest('[data-testid=tree-row]');
         const r = row.getBoundingClientRect();
         row.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: r.left + 40, clientY: r.bottom }));",
    )
    .await?;
    w.on_text("[role=menuitem]", "Settings…", "el.click();")
        .await?;
    w.wait_for("[data-testid=settings-editor]").await?;
    w.wait_for("[data-testid=settings-tab-certs]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=client-cert-add]")
        .await?
        .click()
        .await?;
    w.type_into("[data-testid=client-cert-host-0]", "localhost")
        .await?;
    w.type_into("[data-testid=client-cert-cert-0]", entry.cert)
        .await?;
    if !entry.key.is_empty() {
        w.type_into("[data-testid=client-cert-key-0]", entry.key)
            .await?;
    }
    if !entry.passphrase.is_empty() {
        w.type_into("[data-testid=client-cert-passphrase-0]", entry.passphrase)
            .await?;
    }
    w.screenshot("client-certs-settings").await?;
    w.find("[data-testid=settings-save]").await?.click().await?;
    w.wait_gone("[data-testid=settings-editor]").await?;
    let yaml = std::fs::read_to_string(collection.join("collection.yaml"))?;
    ensure!(yaml.contains("clientCertificates:"), "{yaml}");
    ensure!(yaml.contains(&format!("cert: {}", entry.cert)), "{yaml}");
    if !entry.key.is_empty() {
        ensure!(yaml.contains(&format!("key: {}", entry.key)), "{yaml}");
    }
    if !entry.passphrase.is_empty() {
        ensure!(
            !yaml.contains(entry.passphrase),
            "the password in the file: {yaml}"
        );
        ensure!(yaml.contains("passphrase: <secret>"), "{yaml}");
    }
    ensure!(
        !yaml.contains("PRIVATE KEY"),
        "the key stays in its file: {yaml}"
    );

    // A request of the collection, pointed at the server that requires the certificate. The
    // window does not trust the test CA, so the request skips server verification; the client
    // certificate is presented all the same.
    w.expand_row("Demo API").await?;
    w.expand_row("misc").await?;
    w.on_text(
        "[data-testid=tree-row] .name",
        "Health check",
        "el.click();",
    )
    .await?;
    w.wait_js("return document.querySelector('[data-testid=url-input]')?.value.includes('health') ?? false")
        .await?;
    w.type_into("[data-testid=url-input]", &server.url("/ok"))
        .await?;
    w.find("[data-testid=composer-tab-settings]")
        .await?
        .click()
        .await?;
    let verify = w.wait_for("[data-testid=setting-verify-tls]").await?;
    if verify.prop("checked").await?.as_deref() == Some("true") {
        verify.click().await?;
    }
    w.find("[data-testid=send-button]").await?.click().await?;
    let status = w
        .wait_text(
            "[data-testid=response-status], [data-testid=error-message]",
            |t| !t.trim().is_empty(),
        )
        .await?;
    ensure!(
        status.starts_with("200"),
        "the mTLS server answered {status}"
    );
    Ok(())
}
