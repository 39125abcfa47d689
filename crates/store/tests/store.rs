//! The store on every backend under test: the same assertions on SQLite
//! and PostgreSQL.

use duban_domain::org::{Level, Role, UnitKind};
use duban_store::testing::fresh_stores;
use duban_store::{Error, NewUnit, NewUser};

fn unit(name: &str, aliases: &[&str]) -> NewUnit {
    NewUnit {
        name: name.into(),
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        parent: None,
        level: Level::County,
        kind: UnitKind::Department,
    }
}

#[tokio::test]
async fn units_users_and_the_event_chain() {
    for store in fresh_stores("org").await.expect("stores open") {
        let backend = store.backend();
        let a = store
            .create_unit(None, unit("区工业和信息化科技局", &["区工科局"]))
            .await
            .unwrap();
        let b = store
            .create_unit(None, unit("区财政局", &[]))
            .await
            .unwrap();
        let dup = store.create_unit(None, unit("区财政局", &[])).await;
        assert!(
            matches!(dup, Err(Error::Duplicate(ref m)) if m.contains("区财政局")),
            "{backend:?}: {dup:?}"
        );
        let units = store.units().await.unwrap();
        assert_eq!(
            units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
            ["区工业和信息化科技局", "区财政局"]
        );
        assert_eq!(units[0].aliases, ["区工科局"]);

        let liaison = store
            .create_user(
                None,
                NewUser {
                    login: "gkj".into(),
                    name: "王联络".into(),
                    role: Role::Liaison,
                    unit_id: Some(a.id),
                    email: None,
                    password_hash: "hash".into(),
                },
            )
            .await
            .unwrap();
        let bad = store
            .create_user(
                None,
                NewUser {
                    login: "x".into(),
                    name: "无单位联络员".into(),
                    role: Role::Liaison,
                    unit_id: None,
                    email: None,
                    password_hash: "h".into(),
                },
            )
            .await;
        assert!(
            matches!(bad, Err(Error::Invalid(ref m)) if m.contains("必须属于一个单位")),
            "{bad:?}"
        );
        let leader = store
            .create_user(
                None,
                NewUser {
                    login: "huo".into(),
                    name: "霍国荣".into(),
                    role: Role::Leader,
                    unit_id: None,
                    email: Some("huo@example.org".into()),
                    password_hash: "h".into(),
                },
            )
            .await
            .unwrap();
        store
            .set_leader_units(Some(leader.id), leader.id, &[a.id, b.id])
            .await
            .unwrap();
        assert_eq!(store.leader_units(leader.id).await.unwrap(), [a.id, b.id]);
        assert_eq!(store.leaders_of(b.id).await.unwrap()[0].name, "霍国荣");
        let not_leader = store.set_leader_units(None, liaison.id, &[a.id]).await;
        assert!(matches!(not_leader, Err(Error::Invalid(_))));

        let (found, hash) = store.user_by_login("gkj").await.unwrap().expect("user");
        assert_eq!((found.id, hash.as_str()), (liaison.id, "hash"));

        // Five changes, five chained events; the failed ones left none.
        assert_eq!(store.verify_events().await.unwrap(), Ok(5), "{backend:?}");
        assert_eq!(
            store.events_of("unit", a.id).await.unwrap()[0].action,
            "unit.create"
        );
        store.close().await;
    }
}

#[tokio::test]
async fn sessions_expire_and_tokens_resolve() {
    for store in fresh_stores("sessions").await.expect("stores open") {
        let u = store
            .create_unit(None, unit("区发展和改革局", &[]))
            .await
            .unwrap();
        let user = store
            .create_user(
                None,
                NewUser {
                    login: "fgj".into(),
                    name: "李承办".into(),
                    role: Role::Handler,
                    unit_id: Some(u.id),
                    email: None,
                    password_hash: "h".into(),
                },
            )
            .await
            .unwrap();
        let now = chrono::Utc::now();
        store
            .create_session("live", user.id, "csrf1", now + chrono::Duration::hours(8))
            .await
            .unwrap();
        store
            .create_session("old", user.id, "csrf2", now - chrono::Duration::seconds(1))
            .await
            .unwrap();
        let s = store.session("live").await.unwrap().expect("live session");
        assert_eq!((s.user.id, s.csrf.as_str()), (user.id, "csrf1"));
        assert!(store.session("old").await.unwrap().is_none());
        store.delete_session("live").await.unwrap();
        assert!(store.session("live").await.unwrap().is_none());

        store
            .create_api_token(None, user.id, "对接", "tok")
            .await
            .unwrap();
        assert_eq!(
            store.user_by_api_token("tok").await.unwrap().map(|u| u.id),
            Some(user.id)
        );
        assert!(store.user_by_api_token("nope").await.unwrap().is_none());
        let listed = store.api_tokens().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].last_used_at.is_some(), "the use is kept");
        let revoked = store.revoke_api_token(None, listed[0].id).await.unwrap();
        assert!(revoked.revoked_at.is_some());
        assert!(store.user_by_api_token("tok").await.unwrap().is_none());
        assert!(matches!(
            store.revoke_api_token(None, listed[0].id).await,
            Err(duban_store::Error::Conflict(_))
        ));
        store.close().await;
    }
}

/// A connection the database closed (a restart, an administrator, an idle
/// timeout) is found when it is next used, not tested before each use:
/// the read that finds it is made again on a new connection, and the
/// caller sees its answer, not the broken connection.
#[tokio::test]
async fn a_read_outlives_connections_the_database_closed() {
    use sqlx::Connection as _;
    for url in duban_store::testing::fresh_databases("closed_conn").await {
        let store = duban_store::Store::open(&url).await.unwrap();
        store
            .create_unit(None, unit("区财政局", &[]))
            .await
            .unwrap();
        assert_eq!(store.units().await.unwrap().len(), 1);
        if store.backend() != duban_store::db::Backend::Postgres {
            continue;
        }
        // Every other connection to this database, ended by the server.
        let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
        async fn end_all(admin: &mut sqlx::PgConnection) -> sqlx::Result<Vec<(bool,)>> {
            sqlx::query_as(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .fetch_all(admin)
            .await
        }
        let ended = end_all(&mut admin).await.unwrap();
        assert!(!ended.is_empty(), "the store held a connection");
        for _ in 0..3 {
            assert_eq!(store.units().await.unwrap().len(), 1);
        }
        // And a write, after the same again.
        assert!(!end_all(&mut admin).await.unwrap().is_empty());
        store
            .create_unit(None, unit("区教育局", &[]))
            .await
            .unwrap();
        assert_eq!(store.units().await.unwrap().len(), 2);
    }
}
