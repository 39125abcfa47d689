//! Hand-computed cases. 2023 has 365 days, so the pace of a year-long
//! window at the end of day `n` of the year is `n / 365`.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn p(s: &str) -> Period {
    Period::parse(s).unwrap()
}

fn a(period: &str, value: f64) -> Actual {
    Actual {
        period: p(period),
        value,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// One case: the indicator, the values, today, and what should come out:
/// (status, latest period, as_of, expected_by_now, ahead_or_behind, ratio).
struct Case {
    name: &'static str,
    ind: Indicator,
    actuals: Vec<Actual>,
    today: NaiveDate,
    status: Status,
    latest: Option<&'static str>,
    as_of: NaiveDate,
    expected: f64,
    margin: Option<f64>,
    ratio: Option<f64>,
}

fn amount(target: f64, by: Option<NaiveDate>, assigned: NaiveDate) -> Indicator {
    Indicator::new(TargetKind::Amount, ">=", target, "台", by, assigned)
}

#[test]
fn progress_of_hand_computed_cases() {
    let year = amount(3650.0, None, d(2023, 3, 22));
    let rate = Indicator::new(TargetKind::Rate, "=", 8.5, "%", None, d(2023, 3, 22));
    let ceiling = Indicator::new(
        TargetKind::Ceiling,
        "<=",
        63.7,
        "微克/立方米",
        None,
        d(2023, 2, 1),
    );
    // Due 30 June: 181 days from 1 January.
    let mid = amount(100.0, Some(d(2023, 6, 30)), d(2023, 2, 1));
    let cases = vec![
        Case {
            name: "amount ahead of pace: Q1 ends on day 90, expects 3650×90/365 = 900",
            ind: year.clone(),
            actuals: vec![a("2023Q1", 1000.0)],
            today: d(2023, 5, 10),
            status: Status::OnPace,
            latest: Some("2023Q1"),
            as_of: d(2023, 3, 31),
            expected: 900.0,
            margin: Some(100.0),
            ratio: Some(1000.0 / 3650.0),
        },
        Case {
            name: "amount above the target is met: June ends on day 181, expects 1810",
            ind: year.clone(),
            actuals: vec![a("2023-05", 1500.0), a("2023-06", 4000.0)],
            today: d(2023, 7, 5),
            status: Status::Met,
            latest: Some("2023-06"),
            as_of: d(2023, 6, 30),
            expected: 1810.0,
            margin: Some(2190.0),
            ratio: Some(4000.0 / 3650.0),
        },
        Case {
            name: "no values yet: judged today, 2 July is day 183, expects 1830",
            ind: year.clone(),
            actuals: vec![],
            today: d(2023, 7, 2),
            status: Status::NoData,
            latest: None,
            as_of: d(2023, 7, 2),
            expected: 1830.0,
            margin: None,
            ratio: None,
        },
        Case {
            name: "by-date mid-year: March ends on day 90 of 181, expects 100×90/181",
            ind: mid.clone(),
            actuals: vec![a("2023-03", 40.0)],
            today: d(2023, 4, 3),
            status: Status::Behind,
            latest: Some("2023-03"),
            as_of: d(2023, 3, 31),
            expected: 9000.0 / 181.0,
            margin: Some(40.0 - 9000.0 / 181.0),
            ratio: Some(0.4),
        },
        Case {
            name: "a period not over yet is judged today: 15 April is day 105 of 181",
            ind: mid.clone(),
            actuals: vec![a("2023-04", 60.0)],
            today: d(2023, 4, 15),
            status: Status::OnPace,
            latest: Some("2023-04"),
            as_of: d(2023, 4, 15),
            expected: 10500.0 / 181.0,
            margin: Some(60.0 - 10500.0 / 181.0),
            ratio: Some(0.6),
        },
        Case {
            name: "by-date passed, not reached: expects the whole target",
            ind: mid,
            actuals: vec![a("2023Q3", 90.0)],
            today: d(2023, 10, 8),
            status: Status::Behind,
            latest: Some("2023Q3"),
            as_of: d(2023, 9, 30),
            expected: 100.0,
            margin: Some(-10.0),
            ratio: Some(0.9),
        },
        Case {
            name: "growth rate above target before the year ends is on pace",
            ind: rate.clone(),
            actuals: vec![a("2023Q1", 6.0), a("2023Q2", 8.75)],
            today: d(2023, 7, 20),
            status: Status::OnPace,
            latest: Some("2023Q2"),
            as_of: d(2023, 6, 30),
            expected: 8.5,
            margin: Some(0.25),
            ratio: Some(8.75 / 8.5),
        },
        Case {
            name: "growth rate below target is behind",
            ind: rate.clone(),
            actuals: vec![a("2023Q3", 7.75)],
            today: d(2023, 10, 20),
            status: Status::Behind,
            latest: Some("2023Q3"),
            as_of: d(2023, 9, 30),
            expected: 8.5,
            margin: Some(-0.75),
            ratio: Some(7.75 / 8.5),
        },
        Case {
            name: "growth rate's final figure at target is met",
            ind: rate,
            actuals: vec![a("2023Q3", 7.75), a("2023Q4", 8.5)],
            today: d(2024, 1, 20),
            status: Status::Met,
            latest: Some("2023Q4"),
            as_of: d(2023, 12, 31),
            expected: 8.5,
            margin: Some(0.0),
            ratio: Some(1.0),
        },
        Case {
            name: "ceiling kept mid-year is on pace; below it counts as ahead",
            ind: ceiling.clone(),
            actuals: vec![a("2023-05", 60.5)],
            today: d(2023, 6, 10),
            status: Status::OnPace,
            latest: Some("2023-05"),
            as_of: d(2023, 5, 31),
            expected: 63.7,
            margin: Some(63.7 - 60.5),
            ratio: Some(60.5 / 63.7),
        },
        Case {
            name: "ceiling exceeded is behind",
            ind: ceiling.clone(),
            actuals: vec![a("2023-06", 70.0)],
            today: d(2023, 7, 10),
            status: Status::Behind,
            latest: Some("2023-06"),
            as_of: d(2023, 6, 30),
            expected: 63.7,
            margin: Some(63.7 - 70.0),
            ratio: Some(70.0 / 63.7),
        },
        Case {
            name: "ceiling's final figure within it is met; a tie of ends takes the later record",
            ind: ceiling,
            actuals: vec![a("2023-12", 65.0), a("2023Q4", 62.0)],
            today: d(2024, 1, 15),
            status: Status::Met,
            latest: Some("2023Q4"),
            as_of: d(2023, 12, 31),
            expected: 63.7,
            margin: Some(63.7 - 62.0),
            ratio: Some(62.0 / 63.7),
        },
    ];
    for c in cases {
        let got = progress(&c.ind, &c.actuals, c.today);
        assert_eq!(got.status, c.status, "{}", c.name);
        assert_eq!(
            got.latest.map(|l| l.period.to_string()).as_deref(),
            c.latest,
            "{}",
            c.name
        );
        assert_eq!(got.as_of, c.as_of, "{}", c.name);
        assert!(
            close(got.expected_by_now, c.expected),
            "{}: {got:?}",
            c.name
        );
        match (got.ahead_or_behind, c.margin) {
            (Some(g), Some(w)) => assert!(close(g, w), "{}: {g} vs {w}", c.name),
            (g, w) => assert_eq!(g, w, "{}", c.name),
        }
        match (got.ratio_of_target, c.ratio) {
            (Some(g), Some(w)) => assert!(close(g, w), "{}: {g} vs {w}", c.name),
            (g, w) => assert_eq!(g, w, "{}", c.name),
        }
    }
}

#[test]
fn windows_follow_the_year_or_the_day_of_assignment() {
    // Due this year: from 1 January.
    let i = amount(10.0, Some(d(2023, 6, 30)), d(2023, 5, 1));
    assert_eq!(i.start, d(2023, 1, 1));
    // No by-date: the end of the year of assignment.
    let i = amount(10.0, None, d(2023, 5, 1));
    assert_eq!((i.start, i.by), (d(2023, 1, 1), d(2023, 12, 31)));
    // Due in a later year: from the day of assignment.
    let i = amount(10.0, Some(d(2025, 12, 31)), d(2023, 7, 1));
    assert_eq!(i.start, d(2023, 7, 1));
    assert!(close(i.pace(d(2023, 6, 1)), 0.0));
    assert!(close(i.pace(d(2026, 1, 1)), 1.0));
    // A period outside the window is refused.
    assert!(
        i.check_period(p("2023-03")).is_ok(),
        "same year as the start"
    );
    assert!(i.check_period(p("2022Q4")).is_err());
    assert!(i.check_period(p("2026-01")).is_err());
}

#[test]
fn kinds_from_the_readers_targets() {
    use TargetKind::*;
    for (op, metric, unit, want) in [
        ("=", "地区生产总值增长", "%", Rate),
        (">=", "城市绿地率", "%", Rate),
        ("=", "单位GDP能耗下降", "", Rate),
        (">=", "全市公共充电桩数量", "台", Amount),
        ("=", "新建5G基站", "个", Amount),
        ("<=", "PM2.5平均浓度", "微克/立方米", Ceiling),
        ("<", "城镇调查失业率", "%", Ceiling),
    ] {
        assert_eq!(TargetKind::classify(op, metric, unit), want, "{metric}");
    }
}

#[test]
fn periods_read_and_print() {
    assert_eq!(p("2024-03"), Period::Month(2024, 3));
    assert_eq!(p(" 2024Q1 "), Period::Quarter(2024, 1));
    assert_eq!(p("2024q4").to_string(), "2024Q4");
    assert_eq!(p("2024-02").end(), d(2024, 2, 29));
    assert_eq!(p("2024Q4").start(), d(2024, 10, 1));
    assert_eq!(p("2024Q4").end(), d(2024, 12, 31));
    for bad in [
        "2024-13",
        "2024-3",
        "24-03",
        "2024Q5",
        "2024Q",
        "一季度",
        "2024-03-01",
        "",
    ] {
        let e = Period::parse(bad).unwrap_err();
        assert!(e.contains("2024-03"), "{bad}: {e}");
    }
}
