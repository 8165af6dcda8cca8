//! Opening the authorization URL in the user's browser: `$BROWSER` when set (split like a
//! command line, the URL appended), else the desktop's opener; or an explicit argv prefix
//! (tests pass their scripted browser this way, without touching the process environment).

use std::process::Stdio;

use tokio::process::{Child, Command};

use crate::AuthError;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Launcher {
    /// `$BROWSER`, else `xdg-open` (`open` on macOS).
    #[default]
    System,
    /// This program and arguments, then the URL.
    Command(Vec<String>),
}

impl Launcher {
    /// The argv that opens `url` (the URL last).
    pub fn argv(&self, url: &str) -> Vec<String> {
        let mut argv = match self {
            Launcher::Command(prefix) => prefix.clone(),
            Launcher::System => system_argv(std::env::var("BROWSER").ok()),
        };
        argv.push(url.to_string());
        argv
    }

    /// Starts the browser on `url`; the caller may wait on the child or drop it.
    pub fn open(&self, url: &str) -> Result<Child, AuthError> {
        let argv = self.argv(url);
        let (program, args) = argv.split_first().expect("argv has the URL at least");
        Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .kill_on_drop(false)
            .spawn()
            .map_err(|source| AuthError::Browser {
                program: program.clone(),
                source,
            })
    }
}

/// The program and arguments `$BROWSER` names (split as a shell would), else the opener.
fn system_argv(browser: Option<String>) -> Vec<String> {
    browser
        .filter(|b| !b.trim().is_empty())
        .and_then(|b| shlex::split(&b))
        .filter(|argv| !argv.is_empty())
        .unwrap_or_else(|| vec![default_opener().to_string()])
}

fn default_opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_launcher_gets_the_url_last() {
        let launcher = Launcher::Command(vec!["python3".into(), "b.py".into(), "--deny".into()]);
        assert_eq!(
            launcher.argv("http://x/"),
            ["python3", "b.py", "--deny", "http://x/"]
        );
    }

    #[test]
    fn browser_is_split_like_a_command_line_else_the_opener() {
        assert_eq!(
            system_argv(Some("'/opt/my browser/run' --new-window".into())),
            ["/opt/my browser/run", "--new-window"]
        );
        assert_eq!(system_argv(Some("  ".into())), [default_opener()]);
        assert_eq!(system_argv(None), [default_opener()]);
    }

    #[tokio::test]
    async fn a_missing_program_is_a_typed_error() {
        let launcher = Launcher::Command(vec!["/nonexistent/sextant-browser".into()]);
        assert!(matches!(
            launcher.open("http://127.0.0.1/"),
            Err(AuthError::Browser { .. })
        ));
    }
}
