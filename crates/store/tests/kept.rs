//! The registry each server keeps in memory (units and the calendar) is
//! current on the next read after a change made through another server
//! sharing the database.

mod common;

use chrono::NaiveDate;
use common::unit;
use duban_domain::calendar::Year;
use duban_domain::org::UnitKind;
use duban_store::testing::fresh_databases;
use duban_store::Store;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[tokio::test]
async fn a_change_through_one_server_shows_on_the_next_read_of_another() {
    for url in fresh_databases("kept_registry").await {
        let a = Store::open(&url).await.unwrap();
        let b = Store::open(&url).await.unwrap();

        // A reads (and keeps) the units; B adds one, then changes its kind.
        unit(&a, "甲局").await;
        assert_eq!(a.units().await.unwrap().len(), 1);
        let before = a.registry_version().await.unwrap();
        let added = unit(&b, "乙局").await;
        assert!(a.registry_version().await.unwrap() > before, "{url}");
        let names: Vec<String> = a
            .units()
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names, ["甲局", "乙局"], "{url}");
        // The names and the whole registry follow the same version.
        assert_eq!(a.unit_names().await.unwrap()[&added], "乙局", "{url}");
        assert_eq!(a.registry().await.unwrap().names.len(), 2, "{url}");
        b.set_unit_kind(None, added, UnitKind::Township)
            .await
            .unwrap();
        let kind = a.units().await.unwrap()[1].kind;
        assert_eq!(kind, UnitKind::Township, "{url}");

        // The calendar: A keeps it; B enters a year's holidays.
        // An ordinary Wednesday, a working day in the provisional year.
        let day = d("2031-03-12");
        assert_eq!(
            a.calendar().await.unwrap().is_working_day(day),
            Ok(true),
            "{url}"
        );
        let year = Year {
            source: Some("测试".into()),
            holidays: [d("2031-01-01"), day].into_iter().collect(),
            workdays: Default::default(),
        };
        b.set_calendar_year(None, 2031, year, d("2026-12-07"))
            .await
            .unwrap();
        assert_eq!(
            a.calendar().await.unwrap().is_working_day(day),
            Ok(false),
            "{url}"
        );
        let r = a.registry().await.unwrap();
        assert_eq!(r.calendar.is_working_day(day), Ok(false), "{url}");
        assert_eq!(r.units.len(), 2, "{url}");
        // Reading again without a change gives the same copy.
        assert_eq!(a.calendar().await.unwrap(), b.calendar().await.unwrap());
    }
}
