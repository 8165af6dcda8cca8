//! `sextant history`: where the shared history lives, and listing, showing and pruning it
//! through the same command layer the desktop app uses.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use sextant_app::{App, AppConfig, Entry, HistoryQuery, Retention, Source, HISTORY_FILE};

use crate::args::{HistoryArgs, HistoryCommand, HistoryListArgs};

/// Overrides the data directory, as it does for the desktop app.
const DATA_DIR_ENV: &str = "SEXTANT_DATA_DIR";
/// The desktop app's bundle identifier: its data directory is named after it.
const APP_IDENTIFIER: &str = "dev.sextant.app";

/// The directory the desktop app keeps its data in (and so the shared history).
pub fn data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let base = dirs::data_dir()
        .context("cannot find the data directory (no home directory); set SEXTANT_DATA_DIR")?;
    Ok(base.join(APP_IDENTIFIER))
}

/// The history database shared with the desktop app.
pub fn database() -> Result<PathBuf> {
    Ok(data_dir()?.join(HISTORY_FILE))
}

fn open_app() -> Result<App> {
    let dir = data_dir()?;
    let mut config = AppConfig::new(&dir);
    config.history_source = Source::Cli;
    Ok(App::new(config).map_err(sextant_model::ApiError::from)?)
}

pub async fn run(args: HistoryArgs) -> Result<ExitCode> {
    let app = open_app()?;
    match args.command {
        None => list(&app, args.list).await,
        Some(HistoryCommand::Show { id, json }) => show(&app, id, json).await,
        Some(HistoryCommand::Prune {
            max_entries,
            max_age,
            max_size,
        }) => {
            let policy = Retention {
                max_entries,
                max_age_ms: max_age.as_deref().map(parse_age).transpose()?,
                max_total_body_bytes: max_size.as_deref().map(parse_size).transpose()?,
            };
            prune(&app, policy).await
        }
    }
}

fn api<T>(r: Result<T, sextant_model::ApiError>) -> Result<T> {
    r.map_err(|e| anyhow::anyhow!("{:?}: {}", e.code, e.message))
}

async fn list(app: &App, args: HistoryListArgs) -> Result<ExitCode> {
    let query = HistoryQuery {
        limit: args.limit.clamp(1, HistoryQuery::MAX_LIMIT),
        method: args.method,
        status_class: args.status.as_deref().map(parse_status).transpose()?,
        host: args.host,
        text: args.text.filter(|t| !t.trim().is_empty()),
        ..HistoryQuery::default()
    };
    let rows = api(app.history_list(query).await)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        writeln!(out, "No history entries match.")?;
        return Ok(ExitCode::SUCCESS);
    }
    let id_width = rows
        .iter()
        .map(|r| r.id.to_string().len())
        .max()
        .unwrap_or(2)
        .max(2);
    writeln!(
        out,
        "{:>id_width$}  {:<20}  {:<7} {:<7} {:>9}  URL",
        "ID", "TIME (UTC)", "METHOD", "STATUS", "DURATION"
    )?;
    for r in &rows {
        let status = match (r.status, &r.error_code) {
            (Some(s), _) => s.to_string(),
            (None, Some(code)) => code.clone(),
            (None, None) => "-".into(),
        };
        writeln!(
            out,
            "{:>id_width$}  {:<20}  {:<7} {:<7} {:>9}  {}",
            r.id,
            utc_time(r.at_ms),
            r.method,
            status,
            format!("{:.0} ms", r.duration_ms),
            r.url
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(app: &App, id: i64, as_json: bool) -> Result<ExitCode> {
    let entry = match app.history_get(id).await {
        Ok(e) => e,
        Err(e) if e.code == sextant_model::ErrorCode::NotFound => {
            eprintln!("sextant: {}", e.message);
            return Ok(ExitCode::from(1));
        }
        Err(e) => return api(Err(e)),
    };
    let mut out = std::io::stdout().lock();
    if as_json {
        serde_json::to_writer_pretty(&mut out, &entry)?;
        writeln!(out)?;
    } else {
        print_entry(&mut out, &entry)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_entry(out: &mut dyn Write, entry: &Entry) -> std::io::Result<()> {
    let r = &entry.recorded;
    writeln!(
        out,
        "#{} sent {} UTC from the {}{}",
        entry.id,
        utc_time(r.at_ms),
        r.source.as_str(),
        r.collection
            .as_deref()
            .map(|c| format!(" (collection {c})"))
            .unwrap_or_default()
    )?;
    writeln!(out, "\n{} {}", r.method, r.url)?;
    for (name, value) in &r.request_headers {
        writeln!(out, "{name}: {value}")?;
    }
    if let Some(body) = &r.request_body {
        writeln!(out, "\n{body}")?;
    }
    writeln!(out)?;
    match r.status {
        Some(status) => writeln!(
            out,
            "→ {status}  {:.0} ms  {} bytes",
            r.duration_ms, r.body_size
        )?,
        None => writeln!(out, "→ no response  {:.0} ms", r.duration_ms)?,
    }
    if let Some(code) = &r.error_code {
        writeln!(
            out,
            "error {code}: {}",
            r.error_message.as_deref().unwrap_or("")
        )?;
    }
    for (name, value) in &r.response_headers {
        writeln!(out, "{name}: {value}")?;
    }
    if let Some(text) = &r.response_body_text {
        writeln!(out, "\n{text}")?;
        if (text.len() as u64) < r.body_size {
            writeln!(out, "[{} of {} bytes recorded]", text.len(), r.body_size)?;
        }
    }
    Ok(())
}

async fn prune(app: &App, policy: Retention) -> Result<ExitCode> {
    if policy == Retention::default() {
        eprintln!(
            "sextant: history prune needs at least one limit: --max-entries, --max-age or --max-size"
        );
        return Ok(ExitCode::from(1));
    }
    let report = api(app.history_prune(policy).await)?;
    println!(
        "Deleted {} entr{} and {} body file{}.",
        report.entries_deleted,
        if report.entries_deleted == 1 {
            "y"
        } else {
            "ies"
        },
        report.body_paths.len(),
        if report.body_paths.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// `2xx`, `2`, `failed` (or `0`) to the history's status class.
pub fn parse_status(text: &str) -> Result<u8> {
    let t = text.trim().to_ascii_lowercase();
    if t == "failed" || t == "0" {
        return Ok(0);
    }
    let digit = t.strip_suffix("xx").unwrap_or(&t);
    match digit.parse::<u8>() {
        Ok(d @ 1..=5) => Ok(d),
        _ => bail!("--status {text:?}: expected 1xx … 5xx (or 1 … 5), or failed"),
    }
}

/// `90s`, `45m`, `12h`, `30d`, `4w` to milliseconds.
pub fn parse_age(text: &str) -> Result<u64> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: u64 = number
        .parse()
        .with_context(|| format!("--max-age {text:?}: expected a number and a unit, like 30d"))?;
    let unit_ms: u64 = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        _ => bail!("--max-age {text:?}: the unit must be s, m, h, d or w"),
    };
    Ok(n.saturating_mul(unit_ms))
}

/// `500`, `100K`, `500M`, `2G` (binary multiples; a trailing `B` or `iB` is allowed) to bytes.
pub fn parse_size(text: &str) -> Result<u64> {
    let t = text.trim().to_ascii_uppercase();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: u64 = number
        .parse()
        .with_context(|| format!("--max-size {text:?}: expected a number and a unit, like 500M"))?;
    let unit = unit.trim_end_matches("IB").trim_end_matches('B');
    let factor: u64 = match unit {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => bail!("--max-size {text:?}: the unit must be K, M, G or T"),
    };
    Ok(n.saturating_mul(factor))
}

/// Unix milliseconds as `2024-05-01 13:45:07`, in UTC.
fn utc_time(at_ms: i64) -> String {
    let secs = at_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_classes_ages_and_sizes_parse() {
        assert_eq!(parse_status("2xx").unwrap(), 2);
        assert_eq!(parse_status("5").unwrap(), 5);
        assert_eq!(parse_status("failed").unwrap(), 0);
        assert!(parse_status("7xx").is_err());
        assert_eq!(parse_age("30d").unwrap(), 30 * 86_400_000);
        assert_eq!(parse_age("90s").unwrap(), 90_000);
        assert!(parse_age("30").is_err());
        assert_eq!(parse_size("500M").unwrap(), 500 << 20);
        assert_eq!(parse_size("2GiB").unwrap(), 2 << 30);
        assert_eq!(parse_size("123").unwrap(), 123);
        assert!(parse_size("5X").is_err());
    }

    #[test]
    fn times_print_in_utc() {
        assert_eq!(utc_time(0), "1970-01-01 00:00:00");
        assert_eq!(utc_time(1_709_210_096_000), "2024-02-29 12:34:56");
    }
}
