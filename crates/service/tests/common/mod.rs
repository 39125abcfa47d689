//! What the service tests share: a store on a fresh database with the
//! units a test names and the calendar years around today, and "now" in
//! China's time.

use chrono::{Datelike, Duration, NaiveDateTime, Utc};
use duban_domain::calendar::{Calendar, Year};
use duban_domain::org::{Level, UnitKind};
use duban_store::{NewUnit, Store};

pub fn now() -> NaiveDateTime {
    (Utc::now() + Duration::hours(8)).naive_utc()
}

/// A store at `url` holding `units` (name, aliases), with calendar years
/// from last year to three years ahead.
pub async fn store_with(url: &str, units: &[(&str, &[&str])]) -> (Store, Calendar) {
    let store = Store::open(url).await.unwrap();
    for (name, aliases) in units {
        store
            .create_unit(
                None,
                NewUnit {
                    name: name.to_string(),
                    aliases: aliases.iter().map(|a| a.to_string()).collect(),
                    parent: None,
                    level: Level::County,
                    kind: UnitKind::Department,
                },
            )
            .await
            .unwrap();
    }
    let cal = store.calendar().await.unwrap();
    for y in now().year() - 1..=now().year() + 3 {
        if cal.year(y).is_none() {
            store
                .set_calendar_year(None, y, Year::default())
                .await
                .unwrap();
        }
    }
    let cal = store.calendar().await.unwrap();
    (store, cal)
}
