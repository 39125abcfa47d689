//! Reading a track's times back from its stored JSON without chrono's
//! general format parser: the board reads a hundred tracks a request, and
//! parsing their times was a tenth of its time. Times are written by
//! chrono's own `Serialize` (`2026-03-02T09:30:00`, with `.f` digits when
//! there are any); those are read here directly, anything else goes to
//! chrono as before, so what is accepted is exactly what chrono accepts.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Deserializer};

/// `YYYY-MM-DDTHH:MM:SS[.f]` (1 to 9 digits) as chrono writes it; `None`
/// for any other shape (chrono then decides).
fn quick(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            let n = num(20..b.len())?;
            n * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let sec = num(17..19)?;
    if sec > 59 {
        // A leap second: chrono's own reading.
        return None;
    }
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let time = NaiveTime::from_hms_nano_opt(num(11..13)?, num(14..16)?, sec, nanos)?;
    Some(date.and_time(time))
}

/// A time as stored: the quick reading, else chrono's.
pub fn parse(s: &str) -> Result<NaiveDateTime, chrono::ParseError> {
    match quick(s) {
        Some(t) => Ok(t),
        None => s.parse(),
    }
}

pub(crate) fn one<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    parse(&s).map_err(serde::de::Error::custom)
}

pub(crate) fn opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
    let s = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
    s.map(|s| parse(&s).map_err(serde::de::Error::custom))
        .transpose()
}

pub(crate) fn many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDateTime>, D::Error> {
    let v = <Vec<std::borrow::Cow<'de, str>>>::deserialize(d)?;
    v.iter()
        .map(|s| parse(s).map_err(serde::de::Error::custom))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each input beside what chrono itself reads from it: the quick path
    /// must agree with chrono on every shape, and leave the rest to it.
    const CASES: &[(&str, Option<&str>)] = &[
        ("2026-03-02T09:30:00", Some("2026-03-02 09:30:00")),
        ("2026-03-02T09:30:00.5", Some("2026-03-02 09:30:00.500")),
        (
            "2026-03-02T09:30:00.123456",
            Some("2026-03-02 09:30:00.123456"),
        ),
        (
            "2026-03-02T09:30:00.123456789",
            Some("2026-03-02 09:30:00.123456789"),
        ),
        ("2024-02-29T23:59:59", Some("2024-02-29 23:59:59")),
        ("0099-01-01T00:00:00", Some("0099-01-01 00:00:00")),
        // Shapes the quick path leaves to chrono.
        ("2026-12-31T23:59:60", Some("2026-12-31 23:59:60")),
        ("2026-03-02T09:30", None),
        ("+12026-03-02T09:30:00", Some("+12026-03-02 09:30:00")),
        (
            "2026-03-02T09:30:00.1234567890",
            Some("2026-03-02 09:30:00.123456789"),
        ),
        // Wrong in both readings.
        ("2025-02-29T10:00:00", None),
        ("2026-13-01T10:00:00", None),
        ("2026-03-02T24:00:00", None),
        ("2026-03-02 09:30:00", None),
        ("2026-03-02T09:30:00.", None),
        ("2026-03-02T09:30:0x", None),
        ("2026-03-02T09:30:00Z", None),
        ("", None),
    ];

    #[test]
    fn the_quick_reading_agrees_with_chrono() {
        for (input, want) in CASES {
            let chrono_says = input.parse::<NaiveDateTime>().ok();
            let ours = parse(input).ok();
            assert_eq!(ours, chrono_says, "{input}: ours against chrono");
            let want = want.map(|w| {
                NaiveDateTime::parse_from_str(w, "%Y-%m-%d %H:%M:%S%.f")
                    .or_else(|_| NaiveDateTime::parse_from_str(w, "%+Y-%m-%d %H:%M:%S%.f"))
                    .unwrap_or_else(|e| panic!("{w}: {e}"))
            });
            assert_eq!(ours, want, "{input}");
        }
    }

    #[test]
    fn a_track_reads_back_what_it_wrote() {
        use crate::matter::Role;
        use crate::workflow::{apply, Action, Track};
        let at = |s: &str| parse(s).unwrap();
        let t = Track::new(7, 3, 5, Role::Lead, at("2026-03-02T09:30:00.250"));
        let t = apply(&t, &Action::SignFor, at("2026-03-02T10:00:00")).unwrap();
        let t = apply(
            &t,
            &Action::Report {
                text: "进展".into(),
            },
            at("2026-03-03T16:45:12.5"),
        )
        .unwrap();
        let json = serde_json::to_string(&t).unwrap();
        let back: Track = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        // A time that is not a time is refused, naming what was wrong.
        let bad = json.replace("2026-03-02T10:00:00", "2026-03-02T25:00:00");
        assert!(serde_json::from_str::<Track>(&bad).is_err());
    }
}
