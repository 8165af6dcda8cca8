//! The user's side of a browser sign-in: a loopback "app" that takes the redirect, the scripted
//! `test_browser.py` that signs in, and the authorization URL that starts it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use sextant_testkit::{test_browser, OidcProvider};

use crate::http::enc;
use crate::HANG;

/// A loopback "app" that takes one callback request, answers it, and hands back its target.
pub(crate) fn one_callback() -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let target = line.split(' ').nth(1).unwrap_or_default().to_string();
        let mut stream = reader.into_inner();
        let page = "<html><body><p>Signed in, you can close this tab.</p></body></html>";
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{page}",
            page.len()
        );
        let _ = tx.send(target);
    });
    (port, rx)
}

pub(crate) fn query(target: &str) -> HashMap<String, String> {
    let q = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
    q.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub(crate) fn browser(args: &[&str]) -> Child {
    Command::new(test_browser())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run test_browser.py")
}

/// Waits for the browser to exit (within the hang ceiling) and returns its output.
pub(crate) fn finish(mut child: Child) -> Output {
    let deadline = Instant::now() + HANG;
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "test_browser.py hangs");
        thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

pub(crate) fn authorize_url(
    idp: &OidcProvider,
    client: &str,
    port: u16,
    state: &str,
    challenge: &str,
) -> String {
    idp.url(&format!(
        "/auth?response_type=code&client_id={client}&redirect_uri={}&scope={}&state={state}\
         &code_challenge={challenge}&code_challenge_method=S256",
        enc(&format!("http://127.0.0.1:{port}/callback")),
        enc("openid profile email offline_access api:read"),
    ))
}
