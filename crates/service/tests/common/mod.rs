//! What the service tests share: a store on a fresh database with the
//! units a test names, and "now" in
//! China's time.

use chrono::{Duration, NaiveDateTime, Utc};
use duban_domain::calendar::Calendar;
use duban_domain::org::{Level, UnitKind};
use duban_store::{NewUnit, Store};

pub fn now() -> NaiveDateTime {
    (Utc::now() + Duration::hours(8)).naive_utc()
}

/// A store at `url` holding `units` (name, aliases).
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
    // Years without official data are provisional (暂定), so limits are
    // computed in every year a test reaches.
    let cal = store.calendar().await.unwrap();
    (store, cal)
}
