//! Built-in `{{$name}}` values generated at resolve time. Every occurrence gets a fresh value,
//! even the same name twice in one request.

use time::OffsetDateTime;

/// The value of the dynamic reference `name` (the text between the braces, starting with `$`),
/// or `None` when it is not one we know or its arguments do not parse.
pub(crate) fn generate(name: &str) -> Option<String> {
    let mut words = name.split_whitespace();
    let head = words.next()?;
    let args: Vec<&str> = words.collect();
    match (head, args.as_slice()) {
        ("$uuid" | "$guid" | "$randomUUID", []) => Some(uuid::Uuid::new_v4().to_string()),
        ("$timestamp", []) => Some(OffsetDateTime::now_utc().unix_timestamp().to_string()),
        ("$isoTimestamp", []) => Some(iso_timestamp(OffsetDateTime::now_utc())),
        ("$randomInt", []) => Some(fastrand::i64(0..=1000).to_string()),
        ("$randomInt", [min, max]) => {
            let (min, max) = (min.parse::<i64>().ok()?, max.parse::<i64>().ok()?);
            (min <= max).then(|| fastrand::i64(min..=max).to_string())
        }
        _ => None,
    }
}

/// RFC 3339 in UTC with milliseconds, as `2024-05-01T12:30:05.042Z`.
fn iso_timestamp(at: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_timestamps_have_a_fixed_shape() {
        let at = OffsetDateTime::from_unix_timestamp_nanos(1_714_566_605_042_000_000).unwrap();
        assert_eq!(iso_timestamp(at), "2024-05-01T12:30:05.042Z");
    }

    #[test]
    fn random_int_honours_bounds_and_rejects_bad_arguments() {
        for _ in 0..200 {
            let n: i64 = generate("$randomInt 1 6").unwrap().parse().unwrap();
            assert!((1..=6).contains(&n));
            let n: i64 = generate("$randomInt").unwrap().parse().unwrap();
            assert!((0..=1000).contains(&n));
        }
        assert_eq!(generate("$randomInt 6 1"), None);
        assert_eq!(generate("$randomInt a b"), None);
        assert_eq!(generate("$uuid 3"), None);
        assert_eq!(generate("$nope"), None);
    }
}
