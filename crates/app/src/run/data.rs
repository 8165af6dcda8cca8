//! A run's data file: one iteration per row, the row's columns as variables of that iteration.
//! CSV with a header row (RFC 4180 quoting) or a JSON array of objects. The file is read whole,
//! so its size and its rows are budgeted; crossing a budget is `TooLarge`, a file that does not
//! read is `InvalidFile`.

use std::path::Path;

use sextant_model::{ApiError, ErrorCode};

/// The largest data file read.
pub(crate) const MAX_DATA_BYTES: u64 = 16 * 1024 * 1024;
/// The most rows (iterations) a data file may hold.
pub(crate) const MAX_DATA_ROWS: usize = 10_000;

/// One row: (column, value) pairs in column order.
pub(crate) type Row = Vec<(String, String)>;

fn invalid(file: &Path, why: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidFile,
        format!("the data file {} {why}", file.display()),
    )
}

fn too_many_rows(file: &Path) -> ApiError {
    ApiError::new(
        ErrorCode::TooLarge,
        format!(
            "the data file {} has more than {MAX_DATA_ROWS} rows (the row budget)",
            file.display()
        ),
    )
}

/// Reads the rows of `file` (JSON when it starts with `[` or `{`, else CSV); at least one.
pub(crate) fn read_rows(file: &Path) -> Result<Vec<Row>, ApiError> {
    let meta = std::fs::metadata(file).map_err(|e| {
        ApiError::new(
            if e.kind() == std::io::ErrorKind::NotFound {
                ErrorCode::NotFound
            } else {
                ErrorCode::Io
            },
            format!("cannot read the data file {}: {e}", file.display()),
        )
    })?;
    if meta.len() > MAX_DATA_BYTES {
        return Err(ApiError::new(
            ErrorCode::TooLarge,
            format!(
                "the data file {} is {} bytes, over the {MAX_DATA_BYTES}-byte budget",
                file.display(),
                meta.len()
            ),
        ));
    }
    let bytes = std::fs::read(file).map_err(|e| {
        ApiError::new(
            ErrorCode::Io,
            format!("cannot read the data file {}: {e}", file.display()),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|_| invalid(file, "is not UTF-8 text"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let rows = if text.trim_start().starts_with(['[', '{']) {
        json_rows(file, text)?
    } else {
        csv_rows(file, text)?
    };
    if rows.is_empty() {
        return Err(invalid(file, "has no data rows"));
    }
    Ok(rows)
}

fn json_rows(file: &Path, text: &str) -> Result<Vec<Row>, ApiError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| invalid(file, format!("is not JSON: {e}")))?;
    let items = value
        .as_array()
        .ok_or_else(|| invalid(file, "is not a JSON array of objects"))?;
    if items.len() > MAX_DATA_ROWS {
        return Err(too_many_rows(file));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let object = item.as_object().ok_or_else(|| {
                invalid(file, format!("has a row {} that is not an object", i + 1))
            })?;
            Ok(object
                .iter()
                .map(|(k, v)| {
                    let value = match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    (k.clone(), value)
                })
                .collect())
        })
        .collect()
}

/// The records of a CSV text: fields split on commas, `"..."` quoting with `""` for a quote,
/// CRLF or LF line ends; blank lines are skipped.
fn csv_records(file: &Path, text: &str) -> Result<Vec<Vec<String>>, ApiError> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut line = 1usize;
    let end_record = |record: &mut Vec<String>, field: &mut String, records: &mut Vec<_>| {
        record.push(std::mem::take(field));
        let done = std::mem::take(record);
        if !(done.len() == 1 && done[0].is_empty()) {
            records.push(done);
        }
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                line += 1;
                end_record(&mut record, &mut field, &mut records);
                if records.len() > MAX_DATA_ROWS + 1 {
                    return Err(too_many_rows(file));
                }
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(invalid(
            file,
            format!("has a quote not closed (line {line})"),
        ));
    }
    end_record(&mut record, &mut field, &mut records);
    Ok(records)
}

fn csv_rows(file: &Path, text: &str) -> Result<Vec<Row>, ApiError> {
    let mut records = csv_records(file, text)?.into_iter();
    let Some(header) = records.next() else {
        return Err(invalid(
            file,
            "is empty (a CSV data file needs a header row)",
        ));
    };
    let header: Vec<String> = header.into_iter().map(|h| h.trim().to_owned()).collect();
    if let Some(i) = header.iter().position(String::is_empty) {
        return Err(invalid(
            file,
            format!("has an empty column name (column {})", i + 1),
        ));
    }
    let rows: Vec<Vec<String>> = records.collect();
    if rows.len() > MAX_DATA_ROWS {
        return Err(too_many_rows(file));
    }
    rows.into_iter()
        .enumerate()
        .map(|(i, fields)| {
            if fields.len() != header.len() {
                return Err(invalid(
                    file,
                    format!(
                        "has {} fields on data row {}, the header has {}",
                        fields.len(),
                        i + 1,
                        header.len()
                    ),
                ));
            }
            Ok(header.iter().cloned().zip(fields).collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn csv_with_quotes_and_crlf() {
        let (_d, p) = write("id,name\r\n1,\"a, \"\"b\"\"\"\r\n2,c\r\n\r\n");
        let rows = read_rows(&p).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][1], ("name".into(), "a, \"b\"".into()));
        assert_eq!(rows[1][0], ("id".into(), "2".into()));
    }

    #[test]
    fn json_rows_turn_values_into_text() {
        let (_d, p) = write(r#"[{"id": 1, "ok": true, "s": "x", "n": null}]"#);
        let rows = read_rows(&p).unwrap();
        assert_eq!(
            rows[0],
            vec![
                ("id".to_owned(), "1".to_owned()),
                ("ok".into(), "true".into()),
                ("s".into(), "x".into()),
                ("n".into(), String::new())
            ]
        );
    }

    #[test]
    fn budgets_and_bad_files_are_typed_errors() {
        let (_d, p) = write(&format!("id\n{}", "1\n".repeat(MAX_DATA_ROWS + 1)));
        assert_eq!(read_rows(&p).unwrap_err().code, ErrorCode::TooLarge);
        let (_d, p) = write("a,b\n1\n");
        let e = read_rows(&p).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidFile);
        assert!(
            e.message.contains("1 fields on data row 1"),
            "{}",
            e.message
        );
        let (_d, p) = write("[1, 2]");
        assert_eq!(read_rows(&p).unwrap_err().code, ErrorCode::InvalidFile);
        let (_d, p) = write("a\n\"open\n");
        assert_eq!(read_rows(&p).unwrap_err().code, ErrorCode::InvalidFile);
    }
}
