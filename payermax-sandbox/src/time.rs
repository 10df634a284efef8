//! The time formats of the payout API, as the sandbox reads and writes them.
//!
//! - `requestTime` (reference §2, §18.8): RFC 3339. Documented as `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`;
//!   the sandbox is tolerant and also accepts `Z`, any number of fraction digits (0–3 in
//!   practice: Go's SDK drops trailing zero milliseconds) and a space instead of `T`.
//! - order times in inquiries and notifications (§6.2, §7.2): `yyyy-MM-dd'T'HH:mm:ss +0000`.
//! - the batch-query window (§8.1): `yyyy-MM-dd HH:mm:ss` in UTC.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use std::time::{Duration, SystemTime};

/// Reads a `requestTime`; `None` when it is not an RFC 3339 time with an offset.
pub(crate) fn parse_request_time(text: &str) -> Option<SystemTime> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(SystemTime::from)
}

/// Whether `a` and `b` are at most `window` apart, in either direction.
pub(crate) fn within(a: SystemTime, b: SystemTime, window: Duration) -> bool {
    let gap = a
        .duration_since(b)
        .or_else(|_| b.duration_since(a))
        .unwrap_or(Duration::MAX);
    gap <= window
}

/// `2022-12-02T11:35:17 +0000`: how PayerMax writes order times.
pub(crate) fn order_time(at: SystemTime) -> String {
    DateTime::<Utc>::from(at)
        .format("%Y-%m-%dT%H:%M:%S +0000")
        .to_string()
}

/// `20221202113517`: the date part of a `tradeNo`.
pub(crate) fn trade_no_stamp(at: SystemTime) -> String {
    DateTime::<Utc>::from(at).format("%Y%m%d%H%M%S").to_string()
}

/// Reads a batch-query window bound, `yyyy-MM-dd HH:mm:ss` in UTC.
pub(crate) fn parse_window_time(text: &str) -> Option<SystemTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| SystemTime::from(t.and_utc()))
}

/// The start of day `yyyy-MM-dd` in `timezone` (`UTC` or `CST`, China Standard Time, UTC+8,
/// in any case: the two PayerMax's end-of-day balance supports) and of the next day.
pub(crate) fn day_bounds(date: &str, timezone: &str) -> Option<(SystemTime, SystemTime)> {
    let offset = match timezone.to_ascii_uppercase().as_str() {
        "UTC" => 0,
        "CST" => 8 * 3600,
        _ => return None,
    };
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let start = day.and_hms_opt(0, 0, 0)?.and_utc() - chrono::Duration::seconds(offset);
    let end = start + chrono::Duration::days(1);
    Some((SystemTime::from(start), SystemTime::from(end)))
}

/// Truncates to whole seconds (window bounds have no fraction).
pub(crate) fn whole_seconds(at: SystemTime) -> SystemTime {
    let utc = DateTime::<Utc>::from(at);
    let secs = utc.timestamp();
    DateTime::<Utc>::from_timestamp(secs, 0).map_or(at, SystemTime::from)
}

/// Serde for times in the state file: RFC 3339 in UTC with milliseconds, readable in the journal.
pub(crate) mod rfc3339 {
    use super::*;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(crate) fn format(at: SystemTime) -> String {
        DateTime::<Utc>::from(at).to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    pub(crate) fn serialize<S: Serializer>(at: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*at))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SystemTime, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(SystemTime::from)
            .map_err(|e| D::Error::custom(format!("`{text}` is not an RFC 3339 time: {e}")))
    }

    /// The same for an optional time (absent or `null`: `None`).
    pub(crate) mod option {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(
            at: &Option<SystemTime>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match at {
                Some(at) => super::serialize(at, s),
                None => s.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<SystemTime>, D::Error> {
            let text = Option::<String>::deserialize(d)?;
            text.map(|text| {
                DateTime::parse_from_rfc3339(&text)
                    .map(SystemTime::from)
                    .map_err(|e| D::Error::custom(format!("`{text}` is not an RFC 3339 time: {e}")))
            })
            .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::time::UNIX_EPOCH;

    fn at(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    #[test]
    fn request_time_forms_are_accepted() {
        // 2023-03-08T10:00:00.500Z
        let expected = at(1_678_269_600_500);
        for text in [
            "2023-03-08T10:00:00.500+00:00",
            "2023-03-08T10:00:00.500Z",
            "2023-03-08T10:00:00.5Z",
            "2023-03-08T10:00:00.50Z",
            "2023-03-08T18:00:00.500+08:00",
            "2023-03-08T06:30:00.500-03:30",
            "2023-03-08 10:00:00.500+00:00",
        ] {
            assert_eq!(parse_request_time(text), Some(expected), "{text}");
        }
        assert_eq!(
            parse_request_time("2023-03-08T10:00:00Z"),
            Some(at(1_678_269_600_000))
        );
        for bad in [
            "",
            "2023-03-08T10:00:00.500",
            "2023-03-08T10:00:00.500+0000",
            "08/03/2023 10:00",
            "1678269600500",
        ] {
            assert_eq!(parse_request_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn window_is_symmetric_and_inclusive() {
        let now = at(1_000_000);
        let two_min = Duration::from_secs(120);
        assert!(within(now, at(1_000_000 - 120_000), two_min));
        assert!(within(now, at(1_000_000 + 120_000), two_min));
        assert!(!within(now, at(1_000_000 - 120_001), two_min));
        assert!(!within(now, at(1_000_000 + 120_001), two_min));
    }

    #[test]
    fn output_formats() {
        let t = at(1_669_980_917_123); // 2022-12-02T11:35:17.123Z
        assert_eq!(order_time(t), "2022-12-02T11:35:17 +0000");
        assert_eq!(trade_no_stamp(t), "20221202113517");
        assert_eq!(rfc3339::format(t), "2022-12-02T11:35:17.123Z");
        assert_eq!(whole_seconds(t), at(1_669_980_917_000));
        assert_eq!(
            parse_window_time("2022-12-02 11:35:17"),
            Some(at(1_669_980_917_000))
        );
        assert_eq!(parse_window_time("2022-12-02T11:35:17"), None);
    }
}
