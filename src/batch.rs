//! The batch query as a stream: windows of at most one day, pages until exhausted, and a retry
//! of the same page after an error, so no row is repeated or skipped.

use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use std::collections::VecDeque;
use std::future::Future;

/// The batch query's time format: `yyyy-MM-dd HH:mm:ss`, UTC.
pub const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// `[begin, end)` cut into windows of at most one day (the documented limit), formatted.
pub fn windows(begin: DateTime<Utc>, end: DateTime<Utc>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut from = begin;
    while from < end {
        let to = (from + Duration::days(1)).min(end);
        out.push((
            from.format(TIME_FORMAT).to_string(),
            to.format(TIME_FORMAT).to_string(),
        ));
        from = to;
    }
    out
}

/// Streams every row of every window. `fetch(from, to, page, size)` returns one page (pages
/// count from 1; the reference does not say, see its open questions); a page shorter than
/// `size` ends its window.
pub fn stream<T, E, F, Fut>(
    begin: DateTime<Utc>,
    end: DateTime<Utc>,
    size: i64,
    fetch: F,
) -> BoxStream<'static, Result<T, E>>
where
    T: Send + 'static,
    E: Send + 'static,
    F: FnMut(String, String, i64, i64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Vec<T>, E>> + Send + 'static,
{
    struct Pager<T, F> {
        windows: VecDeque<(String, String)>,
        page: i64,
        rows: VecDeque<T>,
        fetch: F,
    }
    let start = Pager {
        windows: windows(begin, end).into(),
        page: 1,
        rows: VecDeque::new(),
        fetch,
    };
    futures_util::stream::unfold(start, move |mut p| async move {
        loop {
            if let Some(row) = p.rows.pop_front() {
                return Some((Ok(row), p));
            }
            let (from, to) = p.windows.front().cloned()?;
            match (p.fetch)(from, to, p.page, size).await {
                Ok(rows) => {
                    let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= size;
                    if full {
                        p.page += 1;
                    } else {
                        p.windows.pop_front();
                        p.page = 1;
                    }
                    p.rows.extend(rows);
                }
                // The same window and page are fetched again on the next poll.
                Err(e) => return Some((Err(e), p)),
            }
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;
    use std::sync::{Arc, Mutex};

    #[test]
    fn windows_are_at_most_one_day() {
        let begin = Utc.with_ymd_and_hms(2025, 4, 23, 1, 0, 0).unwrap();
        let end = Utc.with_ymd_and_hms(2025, 4, 25, 2, 0, 0).unwrap();
        assert_eq!(
            windows(begin, end),
            [
                (
                    "2025-04-23 01:00:00".to_owned(),
                    "2025-04-24 01:00:00".to_owned()
                ),
                (
                    "2025-04-24 01:00:00".to_owned(),
                    "2025-04-25 01:00:00".to_owned()
                ),
                (
                    "2025-04-25 01:00:00".to_owned(),
                    "2025-04-25 02:00:00".to_owned()
                ),
            ]
        );
        assert!(windows(end, begin).is_empty());
    }

    #[tokio::test]
    async fn pages_until_exhausted_and_resumes_after_an_error() {
        // Window 1 has 5 rows, window 2 has 2; page size 2; the second call fails once.
        let data: Vec<Vec<u32>> = vec![vec![1, 2, 3, 4, 5], vec![6, 7]];
        let calls = Arc::new(Mutex::new(Vec::new()));
        let log = calls.clone();
        let begin = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let end = begin + Duration::days(2);
        let s = stream(begin, end, 2, move |from, _to, page, size| {
            let n = {
                let mut l = log.lock().unwrap();
                l.push((from.clone(), page));
                l.len()
            };
            let window = usize::from(from.starts_with("2025-01-02"));
            let rows = data[window].clone();
            async move {
                if n == 2 {
                    return Err("transient");
                }
                let start = usize::try_from((page - 1) * size).unwrap();
                Ok(rows.iter().skip(start).take(2).copied().collect())
            }
        });
        let items: Vec<Result<u32, &str>> = s.collect().await;
        assert_eq!(
            items,
            [
                Ok(1),
                Ok(2),
                Err("transient"),
                Ok(3),
                Ok(4),
                Ok(5),
                Ok(6),
                Ok(7)
            ]
        );
        let pages: Vec<i64> = calls.lock().unwrap().iter().map(|(_, p)| *p).collect();
        // Page 2 is asked twice (error then success); window 2 starts again at page 1.
        assert_eq!(pages, [1, 2, 2, 3, 1, 2]);
    }
}
