//! The index against a real database (SQLite, and PostgreSQL when the run
//! asks for it): what Chinese queries find, filters, ranking, who sees
//! what, and a rebuilt index answering as the one kept up to date.

use chrono::{NaiveDate, NaiveDateTime};
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::{Level, Role, UnitKind};
use duban_domain::workflow::Action;
use duban_search::{Query, Search, Viewer};
use duban_store::appeals::NewAppeal;
use duban_store::testing::fresh_stores;
use duban_store::{NewDocument, NewMatter, NewSource, NewUnit, NewUser, Store};
use std::sync::Arc;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

async fn unit(store: &Store, name: &str) -> i64 {
    let u = NewUnit {
        name: name.into(),
        aliases: vec![],
        parent: None,
        level: Level::County,
        kind: UnitKind::Department,
    };
    store.create_unit(None, u).await.unwrap().id
}

async fn user(store: &Store, login: &str, role: Role, unit: Option<i64>) -> i64 {
    let u = NewUser {
        login: login.into(),
        name: login.into(),
        role,
        unit_id: unit,
        email: None,
        password_hash: "h".into(),
    };
    store.create_user(None, u).await.unwrap().id
}

fn matter(
    title: &str,
    detail: &str,
    lead: Vec<i64>,
    co: Vec<i64>,
    raised_by: Option<i64>,
) -> NewMatter {
    NewMatter {
        title: title.into(),
        detail: detail.into(),
        matter_type: MatterType::ordinary(),
        source: Source::Meeting {
            name: "第18次常务会议".into(),
            date: NaiveDate::from_ymd_opt(2024, 9, 26),
        },
        deadline: None,
        targets: serde_json::json!([]),
        lead,
        co,
        raised_by,
    }
}

/// The source text: the document's line 4 wraps 海绵城市 across a line break.
const TEXT: &str = "运城市盐湖区人民政府办公室文件\n运盐政办发〔2024〕5号\n关于推进海绵城市建设的实施意见\n各乡镇人民政府：为推进海绵城\n市建设，在解州镇先行试点，\n由区住房和城乡建设局牵头。\n";

struct World {
    store: Store,
    dev: i64,
    housing: i64,
    civil: i64,
    doc: i64,
    charging: i64,
    sponge: i64,
    report_matter: i64,
    public1: i64,
    public2: i64,
    appeal1: i64,
    leader: i64,
}

async fn world(store: Store) -> World {
    let cal = Calendar::official();
    let dev = unit(&store, "运城市盐湖区发展和改革局").await;
    let housing = unit(&store, "区住房和城乡建设局").await;
    let civil = unit(&store, "区民政局").await;
    let liaison = user(&store, "dev", Role::Liaison, Some(dev)).await;
    let leader = user(&store, "leader", Role::Leader, None).await;
    store
        .set_leader_units(None, leader, &[housing])
        .await
        .unwrap();
    let public1 = user(&store, "p1", Role::Public, None).await;
    let public2 = user(&store, "p2", Role::Public, None).await;
    let (_, docs) = store
        .ingest(
            None,
            NewSource {
                name: "gazette.txt".into(),
                sha256: "x".into(),
                encoding: "utf-8".into(),
                text: TEXT.into(),
                warnings: serde_json::json!([]),
            },
            vec![NewDocument {
                number: Some("运盐政办发〔2024〕5号".into()),
                title: Some("关于推进海绵城市建设的实施意见".into()),
                issuer: vec!["运城市盐湖区人民政府办公室".into()],
                date: Some("2024-03-01".into()),
                kind: Some("意见".into()),
                spans: vec![[1, 6]],
                proposals: vec![],
                citations: vec![],
                validity: None,
            }],
        )
        .await
        .unwrap();
    let charging = store
        .create_matter(
            None,
            matter(
                "推进充电桩建设",
                "全区公共充电桩数量达到1350台以上。",
                vec![dev],
                vec![civil],
                None,
            ),
            at("2024-09-27 09:00"),
            &cal,
        )
        .await
        .unwrap();
    let sponge = store
        .create_matter(
            None,
            matter(
                "海绵城市建设",
                "完成海绵城市建设年度任务。",
                vec![housing],
                vec![],
                None,
            ),
            at("2024-10-08 09:00"),
            &cal,
        )
        .await
        .unwrap();
    let t = &charging.tracks[0];
    store
        .act(
            Some(liaison),
            t.track.id,
            1,
            &Action::SignFor,
            at("2024-09-27 10:00"),
            &cal,
        )
        .await
        .unwrap();
    store
        .act(
            Some(liaison),
            t.track.id,
            2,
            &Action::Report {
                text: "已完成解州镇充电桩选址。".into(),
            },
            at("2024-09-28 10:00"),
            &cal,
        )
        .await
        .unwrap();
    let appeal1 = store
        .create_appeal(
            public1,
            NewAppeal {
                title: "小区路灯不亮".into(),
                content: "解州镇某小区路灯长期不亮。".into(),
                location: "解州镇".into(),
                contact: "13800000000".into(),
            },
        )
        .await
        .unwrap()
        .id;
    store
        .create_appeal(
            public2,
            NewAppeal {
                title: "道路积水".into(),
                content: "解州镇路口雨后积水。".into(),
                location: "解州镇".into(),
                contact: "13900000000".into(),
            },
        )
        .await
        .unwrap();
    World {
        store,
        dev,
        housing,
        civil,
        doc: docs[0].0,
        charging: charging.matter.id,
        sponge: sponge.matter.id,
        report_matter: charging.matter.id,
        public1,
        public2,
        appeal1,
        leader,
    }
}

fn q(text: &str) -> Query {
    Query {
        text: text.into(),
        limit: 20,
        ..Query::default()
    }
}

/// (kind, id) of each hit, in order.
fn found(s: &Search, query: &Query, v: &Viewer) -> Vec<(String, i64)> {
    s.query(query, v)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| (h.kind, h.id))
        .collect()
}

fn has(list: &[(String, i64)], kind: &str, id: i64) -> bool {
    list.iter().any(|(k, i)| k == kind && *i == id)
}

async fn indexed(w: &World, name: &str) -> Arc<Search> {
    let dir = std::env::temp_dir().join("duban-tests").join(format!(
        "search-{name}-{}-{:?}",
        std::process::id(),
        w.store.backend()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let s = Search::open(w.store.clone(), &dir).unwrap();
    s.rebuild().await.unwrap();
    s
}

#[tokio::test]
async fn chinese_queries_filters_ranking_and_roles() {
    for store in fresh_stores("search").await.expect("stores") {
        let b = store.backend();
        let w = world(store).await;
        let s = indexed(&w, "main").await;
        let office = Viewer::Office;

        // A unit's full name finds the matters it has a part in.
        let r = found(&s, &q("运城市盐湖区发展和改革局"), &office);
        assert!(has(&r, "matter", w.charging), "{b:?}: {r:?}");
        assert!(!has(&r, "matter", w.sponge), "{b:?}: {r:?}");
        // A place name, in a document, a report and appeals.
        let r = found(&s, &q("解州镇"), &office);
        assert!(
            has(&r, "document", w.doc) && has(&r, "appeal", w.appeal1),
            "{b:?}: {r:?}"
        );
        assert!(r.iter().any(|(k, _)| k == "report"), "{b:?}: {r:?}");
        // A 发文字号, whole or its tail, finds the document first.
        for number in ["运盐政办发〔2024〕5号", "〔2024〕5号"] {
            let r = found(&s, &q(number), &office);
            assert_eq!(
                r.first(),
                Some(&("document".to_string(), w.doc)),
                "{b:?} {number}: {r:?}"
            );
        }
        assert!(found(&s, &q("〔2024〕6号"), &office).is_empty(), "{b:?}");
        // A term the source wraps across two lines is found, at its line.
        let res = s.query(&q("为推进海绵城市建设"), &office).unwrap();
        let hit = res
            .hits
            .iter()
            .find(|h| h.kind == "document")
            .expect("document hit");
        assert_eq!(hit.line, Some(4), "{b:?}: {hit:?}");
        let marked: String = hit
            .snippet
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert!(marked.contains("海绵城市建设"), "{b:?}: {:?}", hit.snippet);

        // An exact title ranks first, ahead of a document whose title holds it.
        let r = found(&s, &q("海绵城市建设"), &office);
        assert_eq!(
            r.first(),
            Some(&("matter".to_string(), w.sponge)),
            "{b:?}: {r:?}"
        );
        assert!(has(&r, "document", w.doc), "{b:?}: {r:?}");
        let all = s.query(&q("海绵城市建设"), &office).unwrap();
        assert!(!all.capped && all.total == all.hits.len(), "{b:?}: {all:?}");
        // More matches than the window ranks: the count says so, and the
        // equal title still comes first wherever it lies in the index.
        let narrow = s
            .query(
                &Query {
                    window: 1,
                    limit: 1,
                    ..q("海绵城市建设")
                },
                &office,
            )
            .unwrap();
        assert!(narrow.capped && narrow.total == 1, "{b:?}: {narrow:?}");
        let first = narrow.hits.first().map(|h| (h.kind.as_str(), h.id));
        assert_eq!(first, Some(("matter", w.sponge)), "{b:?}: {narrow:?}");
        assert!(
            all.total > 1,
            "{b:?}: the window must be narrower than the matches"
        );

        // Filters.
        let only = |f: fn(&mut Query)| {
            let mut query = q("建设");
            f(&mut query);
            found(&s, &query, &office)
        };
        let r = only(|q| q.kind = Some("matter".into()));
        assert!(
            !r.is_empty() && r.iter().all(|(k, _)| k == "matter"),
            "{b:?}: {r:?}"
        );
        let mut by_unit = q("建设");
        by_unit.unit = Some(w.housing);
        assert_eq!(
            found(&s, &by_unit, &office),
            [("matter".to_string(), w.sponge)],
            "{b:?}"
        );
        let r = only(|q| q.issuer = Some("运城市盐湖区人民政府办公室".into()));
        assert_eq!(r, [("document".to_string(), w.doc)], "{b:?}");
        let r = only(|q| {
            q.from = Some(20241001);
            q.to = Some(20241031);
        });
        assert_eq!(r, [("matter".to_string(), w.sponge)], "{b:?}: {r:?}");
        let r = only(|q| q.state = Some("closed".into()));
        assert!(r.is_empty(), "{b:?}: {r:?}");
        let r = only(|q| q.state = Some("open".into()));
        assert_eq!(r.len(), 2, "{b:?}: {r:?}");

        // Who sees what: counts and hits alike.
        let all_kinds = q("解州镇");
        let unit_view = Viewer::Units(vec![w.dev]);
        let r = s.query(&all_kinds, &unit_view).unwrap();
        assert_eq!(r.total, 1, "{b:?}: {r:?}");
        assert_eq!(r.hits[0].kind, "report", "{b:?}");
        assert_eq!(r.hits[0].matter_id, Some(w.report_matter), "{b:?}");
        let r = found(&s, &q("建设"), &unit_view);
        assert_eq!(r, [("matter".to_string(), w.charging)], "{b:?}");
        // A co-operating unit sees the matter but not the lead unit's report.
        let civil = Viewer::Units(vec![w.civil]);
        assert_eq!(
            found(&s, &q("充电桩"), &civil),
            [("matter".to_string(), w.charging)],
            "{b:?}"
        );
        // The leader oversees housing.
        let leader = Viewer::Units(w.store.leader_units(w.leader).await.unwrap());
        assert_eq!(
            found(&s, &q("建设"), &leader),
            [("matter".to_string(), w.sponge)],
            "{b:?}"
        );
        assert_eq!(
            s.query(&q("运盐政办发〔2024〕5号"), &leader).unwrap().total,
            0,
            "{b:?}"
        );
        // The public find their own appeals only.
        let r = found(&s, &all_kinds, &Viewer::User(w.public1));
        assert_eq!(r, [("appeal".to_string(), w.appeal1)], "{b:?}");
        let r = s.query(&all_kinds, &Viewer::User(w.public2)).unwrap();
        assert!(r.total == 1 && r.hits[0].id != w.appeal1, "{b:?}: {r:?}");
        assert_eq!(
            s.query(&q("建设"), &Viewer::Units(vec![])).unwrap().total,
            0
        );
        assert_eq!(
            s.query(&q("小区路灯"), &Viewer::User(w.public2))
                .unwrap()
                .total,
            0
        );
    }
}

#[tokio::test]
async fn a_rebuilt_index_answers_as_the_one_kept_current() {
    let cal = Calendar::official();
    for store in fresh_stores("search_rebuild").await.expect("stores") {
        let b = store.backend();
        let w = world(store).await;
        let kept = indexed(&w, "kept").await;
        // Changes after the build reach the index through the event log.
        let m = w
            .store
            .create_matter(
                None,
                matter(
                    "城区积水点改造",
                    "解州镇积水点年底前完成改造。",
                    vec![w.civil],
                    vec![],
                    Some(w.public1),
                ),
                at("2024-11-01 09:00"),
                &cal,
            )
            .await
            .unwrap();
        assert!(
            found(&kept, &q("积水点"), &Viewer::Office).is_empty(),
            "{b:?}"
        );
        assert!(kept.catch_up().await.unwrap() >= 1, "{b:?}");
        assert_eq!(
            found(&kept, &q("积水点"), &Viewer::Office),
            [("matter".to_string(), m.matter.id)],
            "{b:?}"
        );
        assert_eq!(
            found(&kept, &q("积水点"), &Viewer::User(w.public1)).len(),
            1,
            "{b:?}"
        );
        assert_eq!(
            found(&kept, &q("积水点"), &Viewer::User(w.public2)).len(),
            0,
            "{b:?}"
        );
        assert_eq!(
            kept.seq().await,
            w.store.last_event_seq().await.unwrap(),
            "{b:?}"
        );

        let fresh = indexed(&w, "fresh").await;
        let viewers = [
            Viewer::Office,
            Viewer::Units(vec![w.dev]),
            Viewer::Units(vec![w.housing, w.civil]),
            Viewer::User(w.public1),
        ];
        for text in [
            "解州镇",
            "建设",
            "海绵城市",
            "〔2024〕5号",
            "积水点",
            "区民政局",
        ] {
            for v in &viewers {
                let a = kept.query(&q(text), v).unwrap();
                let mut b2 = fresh.query(&q(text), v).unwrap();
                // Scores may differ with segment layout; hits and counts may not.
                for (h, k) in b2.hits.iter_mut().zip(&a.hits) {
                    h.score = k.score;
                }
                assert_eq!(a, b2, "{b:?} {text} {v:?}");
            }
        }
    }
}

#[tokio::test]
async fn a_damaged_index_is_made_anew() {
    for store in fresh_stores("search_damaged").await.expect("stores") {
        let w = world(store).await;
        let s = indexed(&w, "damaged").await;
        let dir = s.dir().to_path_buf();
        drop(s);
        std::fs::write(dir.join("meta.json"), "{not json").unwrap();
        let s = Search::open(w.store.clone(), &dir).unwrap();
        assert!(s.rebuilding(), "a damaged index must be rebuilt");
        assert!(found(&s, &q("解州镇"), &Viewer::Office).is_empty());
        s.rebuild().await.unwrap();
        assert!(!found(&s, &q("解州镇"), &Viewer::Office).is_empty());
    }
}

#[tokio::test]
async fn a_started_index_builds_itself_and_follows_the_log_by_polling() {
    let cal = Calendar::official();
    for store in fresh_stores("search_poll").await.expect("stores") {
        let b = store.backend();
        let w = world(store).await;
        let dir = std::env::temp_dir()
            .join("duban-tests")
            .join(format!("search-poll-{}-{b:?}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let s =
            Search::start(w.store.clone(), &dir, std::time::Duration::from_millis(300)).unwrap();
        let wait_for = |text: &'static str, s: Arc<Search>| async move {
            let t = std::time::Instant::now();
            loop {
                let r = found(&s, &q(text), &Viewer::Office);
                if !r.is_empty() {
                    return r;
                }
                assert!(
                    t.elapsed() < std::time::Duration::from_secs(5),
                    "{text} not indexed within 5 s"
                );
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        };
        // Missing at start: built in the background.
        assert!(
            has(&wait_for("解州镇", s.clone()).await, "document", w.doc),
            "{b:?}"
        );
        // Another writer's change (here the store directly), found by the poll alone.
        let m = w
            .store
            .create_matter(
                None,
                matter(
                    "老旧小区改造",
                    "完成老旧小区改造12个。",
                    vec![w.dev],
                    vec![],
                    None,
                ),
                at("2024-11-01 09:00"),
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(
            wait_for("老旧小区", s.clone()).await,
            [("matter".to_string(), m.matter.id)],
            "{b:?}"
        );
    }
}
