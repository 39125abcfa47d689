//! The period figures agree with the dashboard's statistics: over a
//! generated history, for a period that holds every track and judged on
//! the statistics' day, each unit's on-time counts of sign-for, first
//! report and close application are the dashboard's, its returns too, and
//! the overdue tracks are among the dashboard's red ones (the dashboard's
//! red also counts the later reporting nodes of continuing matters). A
//! narrower period holds exactly the tracks assigned in it.

use chrono::{NaiveDate, NaiveDateTime};
use duban_domain::calendar::Calendar;
use duban_store::assess::FiguresQuery;
use duban_store::generate::Spec;
use duban_store::stats::StatsQuery;
use duban_store::testing::fresh_databases;
use duban_store::Store;
use std::collections::HashSet;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[tokio::test]
async fn period_figures_agree_with_the_dashboard() {
    for url in fresh_databases("assess_figures").await {
        let store = Store::open(&url).await.unwrap();
        let cal = Calendar::official();
        store
            .generate(
                &Spec {
                    units: 5,
                    matters: 400,
                    seed: 11,
                    now: at("2025-06-15 12:00"),
                    batch: 100,
                    password_hash: "h".into(),
                },
                &cal,
                |_| {},
            )
            .await
            .unwrap();
        let today = d("2025-06-15");
        let stats = store
            .stats(
                &StatsQuery {
                    units: None,
                    today,
                    overdue_limit: 100_000,
                    months: 1,
                },
                &cal,
            )
            .await
            .unwrap();
        let figs = store
            .period_figures(
                &FiguresQuery {
                    from: d("2000-01-01"),
                    to: today,
                    as_of: today,
                    units: None,
                },
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(figs.units.len(), stats.units.len());
        let red: HashSet<i64> = stats.overdue.iter().map(|o| o.track_id).collect();
        let mut graded = 0;
        for (f, s) in figs.units.iter().zip(&stats.units) {
            assert_eq!(f.unit_id, s.unit_id);
            assert_eq!(f.assigned + f.withdrawn, s.tracks, "unit {}", f.unit_id);
            assert_eq!(f.withdrawn, s.states.withdrawn);
            assert_eq!(f.closed, s.states.closed);
            assert_eq!(f.returns, s.returns);
            for (mine, theirs, what) in [
                (&f.sign, s.sign_for, "sign"),
                (&f.report, s.report, "report"),
                (&f.close, s.close, "close"),
            ] {
                assert_eq!(
                    (mine.on_time, mine.due()),
                    (theirs.on_time, theirs.due),
                    "unit {} {what}",
                    f.unit_id
                );
            }
            assert_eq!(f.grades.count(), f.closed, "every closed track has a grade");
            graded += f.grades.count();
            for o in &f.overdue {
                assert!(red.contains(&o.track_id), "track {} is red", o.track_id);
            }
        }
        assert!(graded > 0);

        // A month holds exactly the tracks assigned in it.
        let may = store
            .period_figures(
                &FiguresQuery {
                    from: d("2025-05-01"),
                    to: d("2025-05-31"),
                    as_of: today,
                    units: None,
                },
                &cal,
            )
            .await
            .unwrap();
        let assigned: i64 = may.units.iter().map(|u| u.assigned + u.withdrawn).sum();
        let rows = store
            .pool()
            .fetch(
                "SELECT COUNT(*) AS n FROM tracks WHERE assigned_on >= '2025-05-01' AND assigned_on <= '2025-05-31'",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(assigned, rows[0].i64("n").unwrap());
        store.close().await;
    }
}
