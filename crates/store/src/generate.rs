//! A generated data set for benchmarks: N units with a liaison each, M
//! matters over the past year with realistic histories (signed for on time
//! or late, reports, close applications, returns, grades, extensions), run
//! through the domain's state machine, written in large transactions. Each
//! matter's generation is one entry of the event chain.

use crate::events::{self, append, new_event, EventKind};
use crate::stats::{self, TrackFacts};
use crate::{args, micros, Result, Store};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use duban_domain::calendar::Calendar;
use duban_domain::limits::due_info;
use duban_domain::matter::{Grade, MatterType, Role, Source};
use duban_domain::org::{Level, UnitKind};
use duban_domain::workflow::{apply, Action, Track};
use serde_json::json;
use std::collections::HashMap;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub units: usize,
    pub matters: usize,
    pub seed: u64,
    /// Histories stop at this local time.
    pub now: NaiveDateTime,
    /// Matters per transaction.
    pub batch: usize,
    /// The password hash every generated user gets.
    pub password_hash: String,
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub units: usize,
    pub matters: usize,
    pub tracks: usize,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const TOPICS: [&str; 12] = [
    "推进老旧小区改造",
    "加快充电桩建设",
    "整治河道“四乱”问题",
    "优化营商环境",
    "推进高标准农田建设",
    "完善养老服务体系",
    "提升政务服务水平",
    "加强安全生产检查",
    "推进数字经济发展",
    "实施城乡供水保障工程",
    "开展全民健身运动",
    "加快重点项目建设",
];

/// Plays a track's history forward from its assignment to `now`.
fn history(t: Track, ty: &MatterType, rng: &mut Rng, now: NaiveDateTime) -> Track {
    let mut t = t;
    let mut at = t.assigned_at + Duration::hours(1 + rng.below(40) as i64);
    let step = |t: &Track, a: Action, at: NaiveDateTime| -> Option<Track> {
        if at > now {
            return None;
        }
        apply(t, &a, at).ok()
    };
    let Some(n) = step(&t, Action::SignFor, at) else {
        return t;
    };
    t = n;
    let reports = rng.below(4);
    for _ in 0..reports {
        at += Duration::days(1 + rng.below(if ty.schedule.is_some() { 90 } else { 6 }) as i64);
        match step(
            &t,
            Action::Report {
                text: "阶段进展".into(),
            },
            at,
        ) {
            Some(n) => t = n,
            None => return t,
        }
    }
    if rng.below(10) == 0 {
        at += Duration::days(1);
        let until = (at + Duration::days(30)).date();
        if let Some(n) = step(
            &t,
            Action::RequestExtension {
                until,
                plan: "时间表".into(),
            },
            at,
        ) {
            t = n;
            at += Duration::days(1);
            if let Some(n) = step(&t, Action::GrantExtension, at) {
                t = n;
            }
        }
    }
    at += Duration::days(1 + rng.below(10) as i64);
    let Some(n) = step(
        &t,
        Action::ApplyToClose {
            text: "已完成".into(),
        },
        at,
    ) else {
        return t;
    };
    t = n;
    at += Duration::days(1 + rng.below(3) as i64);
    if rng.below(5) == 0 {
        let Some(n) = step(
            &t,
            Action::Return {
                reason: "材料不全".into(),
            },
            at,
        ) else {
            return t;
        };
        t = n;
        at += Duration::days(1 + rng.below(5) as i64);
        let Some(n) = step(
            &t,
            Action::ApplyToClose {
                text: "已补充".into(),
            },
            at,
        ) else {
            return t;
        };
        t = n;
        at += Duration::days(1);
    }
    let grade = [
        Grade::Excellent,
        Grade::Good,
        Grade::Good,
        Grade::Pass,
        Grade::Fail,
    ][rng.below(5) as usize];
    let reason = if grade == Grade::Fail {
        "未达到要求"
    } else {
        "按期完成"
    };
    step(
        &t,
        Action::Close {
            grade,
            reason: reason.into(),
        },
        at,
    )
    .unwrap_or(t)
}

impl Store {
    /// Generates a data set into an empty database.
    pub async fn generate(
        &self,
        spec: &Spec,
        cal: &Calendar,
        progress: impl Fn(usize),
    ) -> Result<Generated> {
        let mut rng = Rng(spec.seed | 1);
        let now_micros = micros(Utc::now());
        let mut unit_ids = Vec::with_capacity(spec.units);
        let mut tx = self.pool.begin().await?;
        for (login, name, role) in [
            ("admin", "系统管理员", "admin"),
            ("ducha", "督查室", "office"),
        ] {
            tx.exec(
                "INSERT INTO users (login, name, role, unit_id, email, password_hash, active, created_at) VALUES ($1, $2, $3, NULL, NULL, $4, 1, $5)",
                args![login, name, role, spec.password_hash.clone(), now_micros],
            )
            .await?;
        }
        for i in 0..spec.units {
            let name = format!("生成单位{:04}", i + 1);
            let id = tx
                .insert(
                    "INSERT INTO units (name, aliases, parent_id, level, kind, created_at) VALUES ($1, '[]', NULL, $2, $3, $4) RETURNING id",
                    args![name.clone(), serde_json::to_value(Level::County).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(), serde_json::to_value(UnitKind::Department).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(), now_micros],
                )
                .await?;
            tx.exec(
                "INSERT INTO users (login, name, role, unit_id, email, password_hash, active, created_at) VALUES ($1, $2, 'liaison', $3, $4, $5, 1, $6)",
                args![format!("gen{}", i + 1), format!("{name}联络员"), id, format!("gen{}@duban.local", i + 1), spec.password_hash.clone(), now_micros],
            )
            .await?;
            unit_ids.push(id);
        }
        append(
            &mut tx,
            new_event(
                None,
                EventKind::GenerateUnits,
                "unit",
                0,
                json!(null),
                json!({ "units": spec.units }),
            ),
        )
        .await?;
        tx.commit().await?;

        let types = [
            MatterType::ordinary(),
            MatterType::ordinary(),
            MatterType::ordinary(),
            MatterType::major(),
            MatterType::continuing(),
        ];
        let type_json: Vec<String> = types
            .iter()
            .map(|t| serde_json::to_string(t).unwrap_or_default())
            .collect();
        let today = spec.now.date();
        let insert_matters = "INSERT INTO matters (id, title, body, source, source_kind, matter_type, type_kind, deadline, targets, status, created_by, raised_by, created_at, updated_at, version, created_local)";
        let insert_tracks = format!(
            "INSERT INTO tracks (id, matter_id, unit_id, role, state, next_due, yellow_from, due_error, data, version, updated_at, {}, {})",
            stats::DATE_COLUMNS.join(", "),
            stats::DUE_COLUMNS.join(", "),
        );
        let mut out = Generated {
            units: spec.units,
            ..Generated::default()
        };
        // Ids are chosen here, after the largest in the database, so that a
        // batch is built in memory and written in a few multi-row
        // statements (a round trip per row made PostgreSQL write about 60
        // matters a second); the event chain is extended in memory too. The
        // database is the generator's alone while it runs.
        let mut tx = self.pool.begin().await?;
        let top = tx
            .fetch_opt(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM matters) AS matters, \
                 (SELECT COALESCE(MAX(id), 0) FROM tracks) AS tracks",
                args![],
            )
            .await?
            .ok_or_else(|| crate::Error::Corrupt("no largest id".into()))?;
        let (mut matter_id, mut track_id) = (top.i64("matters")?, top.i64("tracks")?);
        let (mut last, alg) = events::chain_end(&mut tx).await?;
        tx.commit().await?;
        let mut done = 0;
        while done < spec.matters {
            let n = spec.batch.min(spec.matters - done);
            let mut tx = self.pool.begin().await?;
            // What the batch adds to the statistics, written once per unit
            // and month at its end.
            let mut tallies: HashMap<(i64, String), stats::Tally> = HashMap::new();
            let mut matters = Vec::with_capacity(n);
            let mut tracks = Vec::with_capacity(n * 2);
            let mut chained = Vec::with_capacity(n);
            for _ in 0..n {
                let k = rng.below(types.len() as u64) as usize;
                let ty = &types[k];
                let assigned = spec.now - Duration::minutes(rng.below(365 * 24 * 60) as i64);
                let topic = TOPICS[rng.below(TOPICS.len() as u64) as usize];
                let title = format!("{topic}（第{}项）", done + 1);
                let deadline: Option<NaiveDate> = if ty.schedule.is_some() {
                    NaiveDate::from_ymd_opt(assigned.date().year(), 12, 31)
                } else {
                    None
                };
                let source = Source::List {
                    list: "生成数据".into(),
                    item: format!("{}", done + 1),
                };
                matter_id += 1;
                let id = matter_id;
                let lead = unit_ids[rng.below(unit_ids.len() as u64) as usize];
                let mut units = vec![(lead, Role::Lead)];
                for _ in 0..rng.below(3) {
                    let u = unit_ids[rng.below(unit_ids.len() as u64) as usize];
                    if !units.iter().any(|(x, _)| *x == u) {
                        units.push((u, Role::Co));
                    }
                }
                let mut lead_closed = true;
                let mut snapshot = Vec::new();
                for (unit, role) in units {
                    track_id += 1;
                    let t = Track::new(track_id, id, unit, role, assigned).with_deadline(deadline);
                    let t = history(t, ty, &mut rng, spec.now);
                    let due = due_info(&t, ty, cal, today);
                    if role == Role::Lead && t.is_open() {
                        lead_closed = false;
                    }
                    // The statistics' copies, as every other write keeps them.
                    let facts = TrackFacts::of(&t, ty, cal);
                    let mut values = args![
                        track_id,
                        id,
                        unit,
                        if role == Role::Lead { "lead" } else { "co" },
                        t.state.code(),
                        due.next_due.map(|d| d.to_string()),
                        due.yellow_from.map(|d| d.to_string()),
                        due.error_text(),
                        serde_json::to_string(&t).unwrap_or_default(),
                        1,
                        now_micros
                    ];
                    values.extend(facts.dates());
                    values.extend(facts.dues());
                    tracks.push(values);
                    for (month, tally) in stats::tallies(&facts, true, true) {
                        tallies.entry((unit, month)).or_default().add(&tally);
                    }
                    snapshot
                        .push(json!({ "track": track_id, "unit": unit, "state": t.state.code() }));
                    out.tracks += 1;
                }
                matters.push(args![
                    id,
                    title.clone(),
                    format!("{title}：按计划推进，按时反馈。"),
                    serde_json::to_string(&source).unwrap_or_default(),
                    "list",
                    type_json[k].clone(),
                    // As insert_matter fills it: without it the board
                    // cannot filter these rows by type.
                    ty.kind.code(),
                    deadline.map(|d| d.to_string()),
                    "[]",
                    if lead_closed { "closed" } else { "open" },
                    None::<i64>,
                    None::<i64>,
                    now_micros,
                    now_micros,
                    1,
                    serde_json::to_string(&assigned).unwrap_or_default()
                ]);
                let ev = new_event(
                    None,
                    EventKind::GenerateMatter,
                    "matter",
                    id,
                    json!(null),
                    json!({ "title": title, "tracks": snapshot }),
                )
                .chain_with(alg, last.as_ref());
                chained.push(ev.clone());
                last = Some(ev);
                done += 1;
            }
            tx.insert_rows(insert_matters, matters).await?;
            tx.insert_rows(&insert_tracks, tracks).await?;
            events::insert_chained(&mut tx, &chained).await?;
            for ((unit, month), tally) in &tallies {
                stats::add_tally(&mut tx, *unit, month, tally).await?;
            }
            tx.ids_taken("matters").await?;
            tx.ids_taken("tracks").await?;
            tx.commit().await?;
            out.matters = done;
            progress(done);
        }
        // Planner statistics for the new rows: without them (autovacuum
        // off, or before it wakes) PostgreSQL plans the board's queries for
        // empty tables.
        self.pool.analyze().await?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use duban_domain::matter::Source;

    #[tokio::test]
    async fn a_generated_set_is_whole_and_the_next_write_follows_it() {
        for store in crate::testing::fresh_stores("generate_whole")
            .await
            .unwrap()
        {
            let cal = Calendar::official();
            let now = NaiveDate::from_ymd_opt(2026, 6, 15)
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .unwrap();
            let seen = std::cell::RefCell::new(Vec::new());
            let out = store
                .generate(
                    &Spec {
                        units: 4,
                        matters: 130,
                        seed: 3,
                        now,
                        batch: 50,
                        password_hash: "h".into(),
                    },
                    &cal,
                    |done| seen.borrow_mut().push(done),
                )
                .await
                .unwrap();
            assert_eq!(*seen.borrow(), [50, 100, 130], "progress after each batch");
            assert_eq!(out.matters, 130);

            // One entry for the units, one per matter, chained unbroken.
            assert_eq!(store.verify_events().await.unwrap(), Ok(131));
            let row = |sql: &'static str| {
                let store = &store;
                async move { store.pool.fetch_opt(sql, args![]).await.unwrap().unwrap() }
            };
            let tracks =
                row("SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM tracks").await;
            assert_eq!(tracks.i64("n").unwrap() as usize, out.tracks);
            assert_eq!(tracks.i64("lo").unwrap(), 1);
            assert_eq!(tracks.i64("hi").unwrap() as usize, out.tracks);
            // Each track's stored state names its own row and matter.
            for id in [1, out.tracks as i64 / 2, out.tracks as i64] {
                let t = store.track(id).await.unwrap();
                assert_eq!(t.track.id, id);
                let m = store.matter(t.track.matter_id).await.unwrap();
                assert_eq!(m.matter.id, t.track.matter_id);
            }
            // The kept counts agree with the rows (written by trigger).
            let kept = row("SELECT CAST(SUM(n) AS BIGINT) AS n FROM matter_counts").await;
            assert_eq!(kept.i64("n").unwrap(), 130);
            let closed = row("SELECT COUNT(*) AS n FROM matters WHERE status = 'closed'").await;
            let kept_closed = row(
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM matter_counts WHERE status = 'closed'",
            )
            .await;
            assert_eq!(closed.i64("n").unwrap(), kept_closed.i64("n").unwrap());
            assert!(closed.i64("n").unwrap() > 0, "some histories end closed");

            // The next ordinary write takes the next ids, and the chain goes on.
            let units = store.units().await.unwrap();
            let m = store
                .create_matter(
                    None,
                    crate::NewMatter {
                        title: "生成之后交办".into(),
                        detail: String::new(),
                        matter_type: MatterType::ordinary(),
                        source: Source::Meeting {
                            name: "常务会议".into(),
                            date: None,
                        },
                        deadline: None,
                        targets: json!([]),
                        lead: vec![units[0].id],
                        co: vec![],
                        raised_by: None,
                    },
                    now,
                    &cal,
                )
                .await
                .unwrap();
            assert_eq!(m.matter.id, 131);
            assert_eq!(
                store.verify_events().await.unwrap().map(|n| n > 131),
                Ok(true)
            );
        }
    }
}
