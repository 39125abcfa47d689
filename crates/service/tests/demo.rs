//! The demo's registry, built from the sample gazettes on a real store
//! (SQLite, and PostgreSQL when the run asks for it): no two units share a
//! name or an alias, no group is a unit, the groups have members, a task
//! printed for a group is assigned to its members, and a leader whose
//! division of work names a unit by its full name oversees the unit that
//! carries the work.

use duban_domain::org::{self, normalize_name, UnitKind};
use duban_service::demo::{seed, Gazette};
use duban_store::testing::fresh_databases;
use duban_store::{Store, TrackFilter};
use std::collections::HashMap;
use std::path::Path;

fn now() -> chrono::NaiveDateTime {
    (chrono::Utc::now() + chrono::Duration::hours(8)).naive_utc()
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../samples")
            .join(name),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_registry_has_one_unit_per_body_and_groups_apart() {
    let files = [
        "001_b27284c7e3085e72.txt",
        "002_16a5ea1dd1efe10d.txt",
        "004_52b7b3caced91b16.txt",
    ];
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| sample(f)).collect();
    let gazettes: Vec<Gazette> = files
        .iter()
        .zip(&bytes)
        .map(|(name, bytes)| Gazette { name, bytes })
        .collect();
    for url in fresh_databases("service_demo_registry").await {
        let store = Store::open(&url).await.unwrap();
        let cal = store.calendar().await.unwrap();
        seed(&store, &gazettes, |p| format!("plain:{p}"), now(), &cal)
            .await
            .unwrap();
        let units = store.units().await.unwrap();
        let groups = store.groups().await.unwrap();

        // Every name and alias names one unit.
        let mut seen: HashMap<String, &str> = HashMap::new();
        for u in &units {
            for n in std::iter::once(&u.name).chain(&u.aliases) {
                if let Some(other) = seen.insert(normalize_name(n), &u.name) {
                    panic!("“{n}” names both {other} and {}", u.name);
                }
                assert!(!org::is_group_name(n), "{n} is a group stored as a unit");
            }
        }
        for g in &groups {
            assert!(
                !seen.contains_key(&normalize_name(&g.name)),
                "{} is a unit",
                g.name
            );
            assert!(!g.members.is_empty(), "{} has no members", g.name);
        }
        let named = |n: &str| org::resolve_named(&units, n).unwrap();
        // The duplicates of the issue are one unit each, with the right kind.
        assert_eq!(named("区发展和改革委员会"), named("区发改局"));
        assert_eq!(named("解州镇政府"), named("解州镇"));
        assert_eq!(named("区卫体局"), named("区卫健局"));
        for (n, k) in [
            ("解州镇", UnitKind::Township),
            ("席张乡", UnitKind::Township),
            ("南城办", UnitKind::Township),
            ("区征迁办", UnitKind::Department),
            ("区金融办", UnitKind::Department),
        ] {
            assert_eq!(units.iter().find(|u| u.name == n).unwrap().kind, k, "{n}");
        }
        // 区果业发展中心 is not an alias of another unit.
        assert_ne!(named("区果业发展中心"), named("区小企业发展中心"));

        // The task printed for 各乡镇办 went to every township.
        let towns = groups.iter().find(|g| g.name == "各乡镇办").unwrap();
        let tracks = store
            .tracks(&TrackFilter {
                limit: 100_000,
                ..TrackFilter::default()
            })
            .await
            .unwrap();
        let mut by_matter: HashMap<i64, Vec<i64>> = HashMap::new();
        for t in &tracks {
            by_matter
                .entry(t.track.matter_id)
                .or_default()
                .push(t.track.unit_id);
        }
        assert!(
            by_matter
                .values()
                .any(|us| towns.members.iter().all(|m| us.contains(m))),
            "no matter was assigned to all of 各乡镇办"
        );

        // The leader overseeing 区发展和改革委员会 oversees the unit with the work.
        let fgj = named("区发改局");
        assert!(tracks.iter().any(|t| t.track.unit_id == fgj));
        assert!(!store.leaders_of(fgj).await.unwrap().is_empty());
    }
}
