//! The provisional (暂定) calendar and the notice reader against the
//! official years shipped in `data/holidays.json`:
//!
//! - the State Council's notices of 2020–2026, written out in the notices'
//!   own form in `data/notices/`, read into exactly the shipped years;
//! - every statutory day of the law in force is a holiday of the shipped
//!   years, and of the provisional years 2025–2099, which also balance
//!   (weekday holidays less weekend workdays equals the statutory days);
//! - the statutory days of 2027–2030 from the lunar calendar and 清明;
//! - how well the provisional layout agrees with the official years,
//!   per festival, written to `data/provisional_agreement.txt` (rewritten
//!   with `UPDATE_EXPECT=1`) and printed: a measurement, not a claim.

use chrono::{Datelike, NaiveDate, Weekday};
use duban_domain::calendar::notice;
use duban_domain::calendar::provisional::{self, statutory_days, Festival};
use duban_domain::calendar::{Calendar, Year};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn weekend(d: &NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Every notice read, merged by calendar year.
fn notices() -> BTreeMap<i32, Year> {
    let mut years: BTreeMap<i32, Year> = BTreeMap::new();
    for y in 2020..=2026 {
        let text = std::fs::read_to_string(data(&format!("notices/{y}.txt"))).unwrap();
        let n = notice::parse(&text).unwrap_or_else(|e| panic!("{y}: {e}"));
        assert_eq!(n.year, y);
        assert!(n.source.contains("国办发明电"), "{}", n.source);
        for (year, data) in n.years() {
            let e = years.entry(year).or_default();
            e.holidays.extend(data.holidays);
            e.workdays.extend(data.workdays);
        }
    }
    years
}

#[test]
fn notices_read_into_the_shipped_years() {
    let official = Calendar::official();
    let read = notices();
    for y in 2020..=2026 {
        let shipped = official.year(y).unwrap();
        let got = &read[&y];
        assert_eq!(got.holidays, shipped.holidays, "{y} holidays");
        assert_eq!(got.workdays, shipped.workdays, "{y} workdays");
    }
    // The 2020 notice read alone gives the year as first announced.
    let text = std::fs::read_to_string(data("notices/2020.txt")).unwrap();
    let first = text.split("国务院办公厅关于延长").next().unwrap();
    let n = notice::parse(first).unwrap();
    let y = &n.years()[&2020];
    assert!(y.workdays.contains(&"2020-02-01".parse().unwrap()));
    assert!(!y.holidays.contains(&"2020-01-31".parse().unwrap()));
}

#[test]
fn statutory_days_are_holidays_in_every_shipped_year() {
    let official = Calendar::official();
    for y in 2020..=2026 {
        let data = official.year(y).unwrap();
        for f in Festival::ALL {
            for d in statutory_days(y, f).unwrap() {
                assert!(data.holidays.contains(&d), "{y} {} {d}", f.label());
            }
        }
    }
}

#[test]
fn provisional_years_hold_the_law_and_balance() {
    for y in 2025..=2099 {
        let data = provisional::year(y).unwrap();
        data.validate(y).unwrap();
        for f in Festival::ALL {
            for d in statutory_days(y, f).unwrap() {
                assert!(data.holidays.contains(&d), "{y} {} {d}", f.label());
            }
        }
        // Each block pays back what it borrows, within the year: weekday
        // holidays less weekend workdays are the 13 statutory days.
        let off = data.holidays.iter().filter(|d| !weekend(d)).count();
        let net = off as i64 - data.workdays.len() as i64;
        assert_eq!(
            net, 13,
            "{y}: {off} weekdays off, {:?} worked",
            data.workdays
        );
    }
}

#[test]
fn the_law_fixes_2027_to_2030() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    // (year, 除夕, 清明, 端午, 中秋), from the almanac.
    let table = [
        (2027, "2027-02-05", "2027-04-05", "2027-06-09", "2027-09-15"),
        (2028, "2028-01-25", "2028-04-04", "2028-05-28", "2028-10-03"),
        (2029, "2029-02-12", "2029-04-04", "2029-06-16", "2029-09-22"),
        (2030, "2030-02-02", "2030-04-05", "2030-06-05", "2030-09-12"),
    ];
    let cal = Calendar::official();
    for (y, eve, qingming, dragon, mid) in table {
        let spring: Vec<NaiveDate> = d(eve).iter_days().take(4).collect();
        assert_eq!(statutory_days(y, Festival::SpringFestival).unwrap(), spring);
        assert_eq!(
            statutory_days(y, Festival::Qingming).unwrap(),
            [d(qingming)]
        );
        assert_eq!(
            statutory_days(y, Festival::DragonBoat).unwrap(),
            [d(dragon)]
        );
        assert_eq!(statutory_days(y, Festival::MidAutumn).unwrap(), [d(mid)]);
        assert!(cal.is_provisional(y));
        for day in spring.iter().chain([d(qingming), d(dragon), d(mid)].iter()) {
            assert_eq!(cal.is_working_day(*day), Ok(false), "{y} {day}");
        }
    }
}

#[test]
fn agreement_with_the_official_years() {
    let official = Calendar::official();
    let mut report = String::from(
        "# How the provisional calendar (calendar/provisional.rs) agrees with the official\n\
         # years. Per festival: the weekdays off (放假) and the weekend days worked (调休)\n\
         # nearest its block, provisional | official. \"=\" agrees.\n\
         # Rewritten by UPDATE_EXPECT=1 cargo test -p duban-domain --test provisional.\n",
    );
    let (mut off_same, mut off_all, mut work_same, mut work_all) = (0, 0, 0, 0);
    let (mut blocks_same, mut blocks_all) = (0, 0);
    for y in 2020..=2026 {
        let shipped = official.year(y).unwrap();
        let mine = provisional::year(y).unwrap();
        let blocks = provisional::blocks(y).unwrap();
        // Each day off or worked belongs to the nearest block.
        let nearest = |d: NaiveDate| {
            (0..blocks.len())
                .min_by_key(|i| {
                    let b = &blocks[*i];
                    (b.first - d).num_days().max((d - b.last).num_days()).max(0)
                })
                .unwrap()
        };
        let of = |set: &BTreeSet<NaiveDate>, i: usize, off: bool| -> BTreeSet<NaiveDate> {
            set.iter()
                .filter(|d| d.year() == y && (!off || !weekend(d)) && nearest(**d) == i)
                .copied()
                .collect()
        };
        let _ = writeln!(report, "{y}");
        for (i, b) in blocks.iter().enumerate() {
            let (o_mine, o_off) = (of(&mine.holidays, i, true), of(&shipped.holidays, i, true));
            let (w_mine, w_off) = (
                of(&mine.workdays, i, false),
                of(&shipped.workdays, i, false),
            );
            off_same += o_mine.intersection(&o_off).count();
            off_all += o_mine.union(&o_off).count();
            work_same += w_mine.intersection(&w_off).count();
            work_all += w_mine.union(&w_off).count();
            blocks_all += 1;
            let same = o_mine == o_off && w_mine == w_off;
            if same {
                blocks_same += 1;
            }
            let show = |s: &BTreeSet<NaiveDate>| {
                s.iter()
                    .map(|d| d.format("%m-%d").to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let _ = writeln!(
                report,
                "  {:<10} {}  off {} | {}  work {} | {}",
                b.name(),
                if same { "=" } else { "≠" },
                show(&o_mine),
                show(&o_off),
                show(&w_mine),
                show(&w_off),
            );
        }
    }
    let _ = writeln!(
        report,
        "blocks agreeing: {blocks_same}/{blocks_all}; weekdays off agreeing: {off_same}/{off_all}; 调休 days agreeing: {work_same}/{work_all}"
    );
    println!("{report}");
    let path = data("provisional_agreement.txt");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &report).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        report, expected,
        "the agreement changed; look at it and rerun with UPDATE_EXPECT=1"
    );
}
