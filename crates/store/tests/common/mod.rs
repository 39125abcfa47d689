//! Helpers the store's test files share.

#![allow(dead_code)] // each test file uses some

use chrono::NaiveDateTime;
use duban_domain::org::{Level, UnitKind};
use duban_store::{NewUnit, Store};

/// A local time written `YYYY-MM-DD HH:MM`.
pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// A new county department named `name`; its id.
pub async fn unit(store: &Store, name: &str) -> i64 {
    store
        .create_unit(
            None,
            NewUnit {
                name: name.into(),
                aliases: vec![],
                parent: None,
                level: Level::County,
                kind: UnitKind::Department,
            },
        )
        .await
        .unwrap()
        .id
}
