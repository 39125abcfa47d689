//! The dates the holiday law names by the lunar calendar and the solar
//! terms: 除夕 and 春节 (the first day of the first lunar month), 端午 (5th of
//! the 5th month), 中秋 (15th of the 8th month), and 清明 (the day the Sun
//! reaches 15° of ecliptic longitude, in Beijing time).
//!
//! The lunar months come from ICU4X's Chinese calendar (`icu_calendar`,
//! GB/T 33661-2017 rules, precomputed for 1900–2100). No well-kept crate
//! exposes the minor solar terms, so 清明 is computed here from the Sun's
//! apparent longitude (Meeus, *Astronomical Algorithms*, ch. 25, accurate to
//! about 0.01°, a quarter of an hour) and checked against a table of known
//! dates in the tests.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use icu_calendar::types::Month;
use icu_calendar::Date;

/// The years the lunar data is exact for.
pub const YEARS: std::ops::RangeInclusive<i32> = 1901..=2099;

/// A lunar date of `year` (the lunar year that begins in `year`) in the
/// Gregorian calendar.
fn lunar(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    let d = Date::try_new_chinese_traditional(year, Month::new(month), day).ok()?;
    let rd = d.to_rata_die().to_i64_date();
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(rd).ok()?)
}

/// 春节: the first day of the first lunar month of `year`.
pub fn spring_festival(year: i32) -> Option<NaiveDate> {
    lunar(year, 1, 1)
}

/// 除夕: the last day of the lunar year ending in `year`.
pub fn new_years_eve(year: i32) -> Option<NaiveDate> {
    spring_festival(year)?.pred_opt()
}

/// 端午: the fifth day of the fifth lunar month.
pub fn dragon_boat(year: i32) -> Option<NaiveDate> {
    lunar(year, 5, 5)
}

/// 中秋: the fifteenth day of the eighth lunar month.
pub fn mid_autumn(year: i32) -> Option<NaiveDate> {
    lunar(year, 8, 15)
}

/// The Sun's apparent ecliptic longitude in degrees at Julian Ephemeris Day
/// `jde` (Meeus ch. 25, the low-accuracy method).
fn solar_longitude(jde: f64) -> f64 {
    let t = (jde - 2_451_545.0) / 36_525.0;
    let l0 = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t;
    let m = (357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t).to_radians();
    let c = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * m.sin()
        + (0.019_993 - 0.000_101 * t) * (2.0 * m).sin()
        + 0.000_289 * (3.0 * m).sin();
    let omega = (125.04 - 1_934.136 * t).to_radians();
    let apparent = l0 + c - 0.005_69 - 0.004_78 * omega.sin();
    apparent.rem_euclid(360.0)
}

/// ΔT (TT − UT) in days, from the Espenak–Meeus polynomial for 2005–2050,
/// good enough elsewhere at this accuracy (a minute or two).
fn delta_t_days(year: f64) -> f64 {
    let t = year - 2000.0;
    (62.92 + 0.322_17 * t + 0.005_589 * t * t) / 86_400.0
}

/// The Julian Day of midnight UTC starting `d`.
fn julian_day(d: NaiveDate) -> f64 {
    // 2000-01-01T00:00 UTC is JD 2451544.5.
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date");
    2_451_544.5 + (d - epoch).num_days() as f64
}

/// When the Sun reaches `longitude` degrees between `from` and `to` (UTC
/// midnights, less than a month apart, the longitude crossed once), as a
/// UTC time.
fn solar_term_between(longitude: f64, from: NaiveDate, to: NaiveDate) -> Option<NaiveDateTime> {
    let dt = delta_t_days(f64::from(from.year()));
    // Degrees past the target, in (-180, 180].
    let past = |jd: f64| {
        let d = (solar_longitude(jd + dt) - longitude).rem_euclid(360.0);
        if d > 180.0 {
            d - 360.0
        } else {
            d
        }
    };
    let (mut lo, mut hi) = (julian_day(from), julian_day(to));
    if past(lo) >= 0.0 || past(hi) < 0.0 {
        return None;
    }
    // Bisection to well under a second.
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if past(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1)?.and_hms_opt(0, 0, 0)?;
    let secs = ((hi - 2_451_544.5) * 86_400.0).round() as i64;
    epoch.checked_add_signed(chrono::Duration::seconds(secs))
}

/// 清明: the day, in Beijing time (UTC+8), on which the Sun reaches 15° of
/// apparent ecliptic longitude; always 4 or 5 April in these centuries.
pub fn qingming(year: i32) -> Option<NaiveDate> {
    let from = NaiveDate::from_ymd_opt(year, 3, 25)?;
    let to = NaiveDate::from_ymd_opt(year, 4, 15)?;
    let utc = solar_term_between(15.0, from, to)?;
    // The Chinese calendar is reckoned in Beijing time whatever the
    // installation's zone.
    Some(crate::clock::LocalTime::beijing().today(utc.and_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// 清明 as printed in the almanacs, 2000–2035.
    #[test]
    fn qingming_agrees_with_the_almanac() {
        let known = [
            (2000, 4),
            (2001, 5),
            (2002, 5),
            (2003, 5),
            (2004, 4),
            (2005, 5),
            (2006, 5),
            (2007, 5),
            (2008, 4),
            (2009, 4),
            (2010, 5),
            (2011, 5),
            (2012, 4),
            (2013, 4),
            (2014, 5),
            (2015, 5),
            (2016, 4),
            (2017, 4),
            (2018, 5),
            (2019, 5),
            (2020, 4),
            (2021, 4),
            (2022, 5),
            (2023, 5),
            (2024, 4),
            (2025, 4),
            (2026, 5),
            (2027, 5),
            (2028, 4),
            (2029, 4),
            (2030, 5),
            (2031, 5),
            (2032, 4),
            (2033, 4),
            (2034, 5),
            (2035, 5),
        ];
        for (year, day) in known {
            assert_eq!(
                qingming(year),
                NaiveDate::from_ymd_opt(year, 4, day),
                "清明 {year}"
            );
        }
    }

    #[test]
    fn lunar_festivals() {
        assert_eq!(spring_festival(2024), Some(d("2024-02-10")));
        assert_eq!(new_years_eve(2024), Some(d("2024-02-09")));
        assert_eq!(spring_festival(2026), Some(d("2026-02-17")));
        assert_eq!(dragon_boat(2025), Some(d("2025-05-31")));
        assert_eq!(mid_autumn(2023), Some(d("2023-09-29")));
    }

    #[test]
    fn solar_longitude_at_the_equinox() {
        // The March equinox of 2024: 03-20 03:06 UTC.
        let t = solar_term_between(0.0, d("2024-03-10"), d("2024-03-30")).unwrap();
        let expected = d("2024-03-20").and_hms_opt(3, 6, 0).unwrap();
        assert!((t - expected).num_minutes().abs() <= 20, "{t}");
    }
}
