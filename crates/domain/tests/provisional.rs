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

mod limits_on_provisional_years {
    use chrono::NaiveDate;
    use duban_domain::calendar::{Calendar, Year};
    use duban_domain::limits::{dues, Due, Limit};
    use duban_domain::matter::{MatterType, Role};
    use duban_domain::sweep::{notices, About, NoticeKind, SweepRules};
    use duban_domain::workflow::Track;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn track() -> Track {
        let mut t = Track::new(
            1,
            1,
            7,
            Role::Lead,
            d("2026-10-12").and_hms_opt(9, 0, 0).unwrap(),
        );
        t.signed_at = Some(d("2026-10-12").and_hms_opt(10, 0, 0).unwrap());
        t.report_times
            .push(d("2026-10-13").and_hms_opt(10, 0, 0).unwrap());
        t.state = duban_domain::workflow::TrackState::SignedFor;
        t
    }

    /// The track's report for the fourth quarter of 2026, as due on `today`.
    fn q4_due(cal: &Calendar, today: NaiveDate) -> Due {
        let ty = MatterType::continuing();
        let day = d("2026-12-31");
        dues(&track(), &ty, cal, today)
            .unwrap()
            .into_iter()
            .find(|x| x.limit == Limit::Node { day })
            .unwrap()
    }

    /// The fourth-quarter window of 2026 lies in 2027: provisional until the
    /// notice is entered, and it moves with the notice.
    #[test]
    fn q4_window_is_provisional_until_entered() {
        let ty = MatterType::continuing();
        let mut cal = Calendar::official();
        let today = d("2026-12-31");
        let q4 = q4_due(&cal, today);
        assert_eq!(q4.date, d("2027-01-08"));
        assert!(q4.provisional);
        let ns = notices(
            &track(),
            &ty,
            About {
                title: "事项",
                unit_name: "区发改局",
            },
            &cal,
            d("2027-01-06"),
            SweepRules::default(),
        )
        .unwrap();
        let remind = ns.iter().find(|n| n.kind == NoticeKind::Remind).unwrap();
        assert!(
            remind.body.contains("2027年1月8日（暂定）"),
            "{}",
            remind.body
        );
        assert!(remind.body.contains("暂定节假日安排"), "{}", remind.body);

        // An official 2027 (made up here) that takes Monday 01-04 off and
        // works Saturday 01-09: the window becomes 01-05..01-09.
        cal.set_year(
            2027,
            Year {
                source: Some("test".into()),
                holidays: [
                    d("2027-01-01"),
                    d("2027-01-02"),
                    d("2027-01-03"),
                    d("2027-01-04"),
                ]
                .into(),
                workdays: [d("2027-01-09")].into(),
            },
        );
        let q4 = q4_due(&cal, today);
        assert_eq!(q4.date, d("2027-01-09"));
        assert!(!q4.provisional);
    }

    /// Calendar-day terms and fixed deadlines never rest on the calendar.
    #[test]
    fn fixed_dates_are_not_provisional() {
        let cal = Calendar::official();
        let ty = MatterType::ordinary();
        let t = Track::new(
            1,
            1,
            7,
            Role::Lead,
            d("2026-12-30").and_hms_opt(9, 0, 0).unwrap(),
        )
        .with_deadline(Some(d("2027-03-31")));
        let due = dues(&t, &ty, &cal, d("2026-12-30")).unwrap();
        let by = |l: Limit| due.iter().find(|x| x.limit == l).unwrap();
        assert!(!by(Limit::Deploy).provisional);
        assert!(by(Limit::FirstReport).provisional, "{due:?}");
        assert!(!by(Limit::Resolve).provisional);
    }
}
