//! One clock for what people read. Stored instants are UTC; everything a
//! person reads (pages, Word and Excel files, CSV, the API's display fields)
//! is in the configured local time, Beijing (UTC+8) unless configured
//! otherwise, and [`LocalTime`] is the one place that converts. The domain
//! keeps no clock: callers pass "now".
//!
//! The workflow's own times (a track's assignment, sign-for, reports) are
//! kept as local wall-clock times already, because the 13710 limits are
//! local dates; [`LocalTime::show_local`] prints those in the same form.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};

/// The configured local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    offset: FixedOffset,
}

impl Default for LocalTime {
    fn default() -> Self {
        LocalTime::beijing()
    }
}

impl LocalTime {
    /// Beijing time, UTC+8.
    pub fn beijing() -> LocalTime {
        LocalTime {
            offset: FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset"),
        }
    }

    /// UTC plus `hours` (−12 to +14); anything else is Beijing time.
    pub fn new(hours: i32) -> LocalTime {
        match FixedOffset::east_opt(hours.saturating_mul(3600)) {
            Some(offset) if (-12..=14).contains(&hours) => LocalTime { offset },
            _ => LocalTime::beijing(),
        }
    }

    /// The offset in hours.
    pub fn hours(&self) -> i32 {
        self.offset.local_minus_utc() / 3600
    }

    /// A UTC instant as local wall-clock time.
    pub fn local(&self, utc: DateTime<Utc>) -> NaiveDateTime {
        utc.with_timezone(&self.offset).naive_local()
    }

    /// The local date of a UTC instant ("today" when given now).
    pub fn today(&self, utc: DateTime<Utc>) -> NaiveDate {
        self.local(utc).date()
    }

    /// The UTC instant at which a local day begins (its local midnight).
    pub fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_time(chrono::NaiveTime::MIN);
        (midnight - chrono::Duration::seconds(i64::from(self.offset.local_minus_utc()))).and_utc()
    }

    /// A UTC instant as people read it: `2026-12-07 04:10`, local time.
    pub fn show(&self, utc: DateTime<Utc>) -> String {
        Self::show_local(self.local(utc))
    }

    /// A local wall-clock time as people read it: `2026-12-07 04:10`.
    pub fn show_local(t: NaiveDateTime) -> String {
        t.format("%Y-%m-%d %H:%M").to_string()
    }

    /// The zone's name, for headings and notes where a time could be read
    /// as another zone's: 北京时间, or UTC+9.
    pub fn zone(&self) -> String {
        match self.hours() {
            8 => "北京时间".to_string(),
            h if h >= 0 => format!("UTC+{h}"),
            h => format!("UTC{h}"),
        }
    }

    /// An RFC 3339 text (as the API writes instants) shown as local time;
    /// text that is not one is returned as it is.
    pub fn show_rfc3339(&self, text: &str) -> String {
        match DateTime::parse_from_rfc3339(text) {
            Ok(t) => self.show(t.with_timezone(&Utc)),
            Err(_) => text.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_to_beijing_time() {
        let utc: DateTime<Utc> = "2026-12-06T20:10:00Z".parse().unwrap();
        let bj = LocalTime::default();
        assert_eq!(bj.show(utc), "2026-12-07 04:10");
        assert_eq!(bj.today(utc), NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(bj.zone(), "北京时间");
        assert_eq!(
            bj.show_rfc3339("2026-12-06T20:10:00.123456Z"),
            "2026-12-07 04:10"
        );
        assert_eq!(bj.show_rfc3339("昨天"), "昨天");
        let tokyo = LocalTime::new(9);
        assert_eq!(tokyo.show(utc), "2026-12-07 05:10");
        assert_eq!(tokyo.zone(), "UTC+9");
        assert_eq!(LocalTime::new(99), LocalTime::beijing());
    }

    /// A local day begins at its local midnight, the evening before in UTC
    /// east of Greenwich: never after something done early that morning.
    #[test]
    fn a_day_starts_at_local_midnight() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let bj = LocalTime::beijing();
        let start = bj.start_of(day);
        assert_eq!(
            start,
            "2026-12-07T16:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(bj.show(start), "2026-12-08 00:00");
        let early: DateTime<Utc> = "2026-12-07T16:20:00Z".parse().unwrap();
        assert_eq!(bj.today(early), day);
        assert!(start < early);
        assert_eq!(
            LocalTime::new(0).start_of(day),
            "2026-12-08T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }
}
