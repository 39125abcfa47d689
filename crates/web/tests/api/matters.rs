//! The matters API: creating matters (and the ways it is refused), the
//! board's scoping, filters, sorting and paging, a matter's detail, and
//! withdrawal. Also the fixture the other modules share: a small world of
//! two units, their users, leaders and the public, with sessions opened
//! straight in the store (argon2 in a debug build costs most of a second per
//! login).

use crate::helpers::{json, Session, TestApp, PASSWORD};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use duban_domain::matter::{Grade, MatterType, Source};
use duban_domain::org::Role;
use duban_domain::workflow::Action;
use duban_store::testing::fresh_databases;
use duban_store::{MatterRecord, NewMatter, NewUser, Store};
use duban_web::auth::{hash_password, new_token, token_hash};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Local (China) time now, as the server reckons it.
pub fn now() -> NaiveDateTime {
    (Utc::now() + Duration::hours(8)).naive_utc()
}

/// The calendar covers every year the tests run in: where the official data
/// stops the years are provisional (暂定), so limits near the turn of a
/// year can be computed whenever the tests run. Kept as the place that
/// would prepare it, should that change.
pub async fn ensure_calendar(store: &Store) {
    let cal = store.calendar().await.unwrap();
    let y = now().year();
    for year in y - 1..=y + 2 {
        assert!(cal.year_in_use(year).is_some(), "{year}");
    }
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD))
}

/// A user with the test password (hashed once for the whole run).
pub async fn user(store: &Store, login: &str, role: Role, unit: Option<i64>) -> i64 {
    store
        .create_user(
            None,
            NewUser {
                login: login.into(),
                name: format!("{login}的名字"),
                role,
                unit_id: unit,
                email: None,
                password_hash: password_hash().to_string(),
            },
        )
        .await
        .expect("user created")
        .id
}

/// A browser session for a user, opened in the store: the same cookie and
/// CSRF token the login endpoint hands out.
pub async fn session(app: &TestApp, user_id: i64) -> Session {
    let token = new_token();
    let csrf = new_token();
    app.store
        .create_session(
            &token_hash(&token),
            user_id,
            &csrf,
            Utc::now() + Duration::hours(2),
        )
        .await
        .unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::COOKIE,
        format!("duban_session={token}").parse().unwrap(),
    );
    Session {
        client: reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .unwrap(),
        csrf,
        base: app.base.clone(),
        user_id,
    }
}

/// Two units (A carries the matters, B is another unit), their users,
/// leaders overseeing each, two members of the public, and a session for
/// each.
pub struct World {
    pub a: i64,
    pub b: i64,
    pub ids: HashMap<&'static str, i64>,
    pub sessions: HashMap<&'static str, Session>,
}

impl World {
    pub async fn new(app: &TestApp) -> World {
        ensure_calendar(&app.store).await;
        let a = app.unit("区发展和改革局").await;
        let b = app.unit("区财政局").await;
        let s = &app.store;
        let admin = s.user_by_login("admin").await.unwrap().unwrap().0.id;
        let mut ids = HashMap::new();
        ids.insert("admin", admin);
        for (login, role, unit) in [
            ("office", Role::Office, None),
            ("head_a", Role::UnitHead, Some(a)),
            ("liaison_a", Role::Liaison, Some(a)),
            ("handler_a", Role::Handler, Some(a)),
            ("liaison_b", Role::Liaison, Some(b)),
            ("leader_a", Role::Leader, None),
            ("leader_b", Role::Leader, None),
            ("public1", Role::Public, None),
            ("public2", Role::Public, None),
        ] {
            ids.insert(login, user(s, login, role, unit).await);
        }
        s.set_leader_units(None, ids["leader_a"], &[a])
            .await
            .unwrap();
        s.set_leader_units(None, ids["leader_b"], &[b])
            .await
            .unwrap();
        let mut sessions = HashMap::new();
        for (login, id) in &ids {
            sessions.insert(*login, session(app, *id).await);
        }
        World {
            a,
            b,
            ids,
            sessions,
        }
    }

    pub fn s(&self, login: &str) -> &Session {
        &self.sessions[login]
    }
}

/// A matter made in the store, assigned at `at`.
pub async fn stored_matter(
    store: &Store,
    title: &str,
    ty: MatterType,
    lead: Vec<i64>,
    co: Vec<i64>,
    deadline: Option<NaiveDate>,
    at: NaiveDateTime,
) -> MatterRecord {
    let cal = store.calendar().await.unwrap();
    store
        .create_matter(
            None,
            NewMatter {
                title: title.into(),
                detail: format!("{title}的具体任务"),
                matter_type: ty,
                source: Source::Meeting {
                    name: "区政府第5次常务会议".into(),
                    date: None,
                },
                deadline,
                targets: json!([]),
                lead,
                co,
                raised_by: None,
            },
            at,
            &cal,
        )
        .await
        .unwrap()
}

fn meeting() -> Value {
    json!({ "type": "meeting", "name": "区政府第5次常务会议", "date": "2024-09-26" })
}

async fn error_of(resp: reqwest::Response) -> (StatusCode, String) {
    let (status, body) = json(resp).await;
    (
        status,
        body["error"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn the_office_creates_matters_and_bad_ones_are_refused_in_chinese() {
    for url in fresh_databases("api_matters_create").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let office = w.s("office");

        let (status, body) = json(
            office
                .post(
                    "/api/v1/matters",
                    &json!({
                        "title": "推进充电桩建设",
                        "detail": "全区公共充电桩达到500台以上。",
                        "type": "普通",
                        "source": meeting(),
                        "lead": [w.a],
                        "co": [w.b],
                    }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let m = &body["matter"];
        assert_eq!(m["type"], "普通事项");
        assert_eq!(m["source"]["type"], "meeting");
        assert_eq!(m["status"], "open");
        let tracks = m["tracks"].as_array().unwrap();
        assert_eq!(tracks.len(), 2);
        assert_eq!(tracks[0]["unit_id"], w.a);
        assert_eq!(tracks[0]["role"], "lead");
        assert_eq!(tracks[0]["unit_name"], "区发展和改革局");
        assert_eq!(tracks[1]["role"], "co");
        // Assigned today: signing for is due today (the first "1").
        let today = now().date().to_string();
        assert_eq!(tracks[0]["limits"]["deploy"], today.as_str());
        assert_eq!(tracks[0]["state"], "assigned");
        assert!(tracks[0]["limits"]["first_report"].is_string());
        assert!(tracks[0]["limits"]["resolve"].is_string());
        assert_eq!(tracks[0]["light"], "yellow", "{}", tracks[0]);
        assert_eq!(m["light"], "yellow");

        // English type names and a matter's own deadline.
        let deadline = (now().date() + Duration::days(60)).to_string();
        let (status, body) = json(
            office
                .post(
                    "/api/v1/matters",
                    &json!({ "title": "重点项目开工", "type": "major", "source": meeting(), "deadline": deadline, "lead": [w.b] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["matter"]["kind"], "major");
        assert_eq!(
            body["matter"]["tracks"][0]["limits"]["resolve"],
            deadline.as_str()
        );

        // Refusals, each saying what is wrong.
        let base = json!({ "title": "某事项", "type": "普通", "source": meeting(), "lead": [w.a] });
        let with = |k: &str, v: Value| {
            let mut b = base.clone();
            b[k] = v;
            b
        };
        let cases: Vec<(Value, StatusCode, &str)> = vec![
            (
                with("lead", json!([w.a, 9999])),
                StatusCode::UNPROCESSABLE_ENTITY,
                "单位 9999 不存在",
            ),
            (
                with("co", json!([8888])),
                StatusCode::UNPROCESSABLE_ENTITY,
                "单位 8888 不存在",
            ),
            (
                with("lead", json!([])),
                StatusCode::UNPROCESSABLE_ENTITY,
                "牵头",
            ),
            (
                with("co", json!([w.a])),
                StatusCode::UNPROCESSABLE_ENTITY,
                "既是牵头单位又是配合单位",
            ),
            (
                with("lead", json!([w.a, w.a])),
                StatusCode::UNPROCESSABLE_ENTITY,
                "重复",
            ),
            (
                with("title", json!("  ")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "标题不能为空",
            ),
            (
                with("type", json!("紧急")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "未知的事项类型“紧急”",
            ),
            (
                with("deadline", json!("2024年底")),
                StatusCode::BAD_REQUEST,
                "YYYY-MM-DD",
            ),
            (
                with("deadline", json!("2020-01-01")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "早于今天",
            ),
            (
                with(
                    "source",
                    json!({ "type": "appeal", "from": "x", "channel": "y", "reference": null }),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
                "受理诉求",
            ),
            (
                with("source", json!({ "type": "rumour" })),
                StatusCode::BAD_REQUEST,
                "事项来源",
            ),
            (
                with("targets", json!({ "text": "总投资100万元" })),
                StatusCode::BAD_REQUEST,
                "targets 应为数组",
            ),
            (
                with(
                    "source",
                    json!({ "type": "document", "document_id": 4242, "spans": [] }),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
                "公文 4242 不存在",
            ),
            (
                with("lead", json!("区发改局")),
                StatusCode::BAD_REQUEST,
                "JSON 字段有误",
            ),
            (
                with("colour", json!("red")),
                StatusCode::BAD_REQUEST,
                "colour",
            ),
        ];
        for (body, code, needle) in cases {
            let (status, msg) = error_of(office.post("/api/v1/matters", &body).await).await;
            assert_eq!(status, code, "{body}: {msg}");
            assert!(msg.contains(needle), "{body}: {msg}");
        }
        let (status, msg) = error_of(
            office
                .post_raw("/api/v1/matters", "{\"title\": \"x\",")
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(msg.starts_with("JSON 格式错误"), "{msg}");
        let no_source = json!({ "title": "某事项", "type": "普通", "lead": [w.a] });
        let (status, msg) = error_of(office.post("/api/v1/matters", &no_source).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("来源"), "{msg}");

        // Only the office creates; nothing was half-written by the refusals.
        let (status, _) = json(w.s("liaison_a").post("/api/v1/matters", &base).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, body) = json(office.get("/api/v1/matters").await).await;
        assert_eq!(body["total"], 2);
        assert!(app.store.verify_events().await.unwrap().is_ok());
        app.stop().await;
    }
}

/// The lights of a board page's matters.
fn lights(body: &Value) -> Vec<String> {
    body["matters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["light"].as_str().unwrap().to_string())
        .collect()
}

fn titles(body: &Value) -> Vec<String> {
    body["matters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_board_is_scoped_by_role_and_filters_by_light_unit_source_type_and_deadline() {
    for url in fresh_databases("api_board").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let s = &app.store;
        let t = now();
        let cal = s.calendar().await.unwrap();
        let liaison_a = Some(w.ids["liaison_a"]);
        let office = Some(w.ids["office"]);
        // Red: assigned a month ago and never signed for.
        let red = stored_matter(
            s,
            "逾期未签收",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            t - Duration::days(30),
        )
        .await;
        // Yellow: assigned today, signing for due today.
        let yellow = stored_matter(
            s,
            "今日交办",
            MatterType::ordinary(),
            vec![w.b],
            vec![],
            None,
            t - Duration::seconds(1),
        )
        .await;
        // Green: a major matter signed for and reported on, with a deadline
        // far off.
        let far = t.date() + Duration::days(90);
        let green = stored_matter(
            s,
            "重大项目推进",
            MatterType::major(),
            vec![w.a],
            vec![w.b],
            Some(far),
            t - Duration::minutes(10),
        )
        .await;
        for tr in &green.tracks {
            let who = if tr.track.unit_id == w.a {
                liaison_a
            } else {
                Some(w.ids["liaison_b"])
            };
            let v = s
                .act(
                    who,
                    tr.track.id,
                    1,
                    &Action::SignFor,
                    t - Duration::minutes(9),
                    &cal,
                )
                .await
                .unwrap();
            s.act(
                who,
                tr.track.id,
                v.version,
                &Action::Report {
                    text: "已部署".into(),
                },
                t - Duration::minutes(8),
                &cal,
            )
            .await
            .unwrap();
        }
        // Done: closed.
        let done = stored_matter(
            s,
            "已办结事项",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            t - Duration::days(3),
        )
        .await;
        let tid = done.tracks[0].track.id;
        let v = s
            .act(
                liaison_a,
                tid,
                1,
                &Action::SignFor,
                t - Duration::days(3),
                &cal,
            )
            .await
            .unwrap()
            .version;
        let v = s
            .act(
                liaison_a,
                tid,
                v,
                &Action::ApplyToClose {
                    text: "已完成".into(),
                },
                t - Duration::days(2),
                &cal,
            )
            .await
            .unwrap()
            .version;
        s.act(
            office,
            tid,
            v,
            &Action::Close {
                grade: Grade::Good,
                reason: String::new(),
            },
            t - Duration::days(1),
            &cal,
        )
        .await
        .unwrap();

        let office_s = w.s("office");
        let (status, body) = json(office_s.get("/api/v1/matters").await).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total"], 4);
        // Newest first.
        assert_eq!(
            titles(&body),
            ["已办结事项", "重大项目推进", "今日交办", "逾期未签收"]
        );
        assert_eq!(lights(&body), ["done", "green", "yellow", "red"]);

        // Each light filter returns exactly the matters of that light, and
        // the lights shown (computed by the domain) agree with the filter
        // (computed in SQL).
        for (light, want) in [
            ("red", &red),
            ("yellow", &yellow),
            ("green", &green),
            ("done", &done),
        ] {
            let (status, body) = json(
                office_s
                    .get(&format!("/api/v1/matters?light={light}"))
                    .await,
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body["total"], 1, "{light}: {body}");
            assert_eq!(body["matters"][0]["id"], want.matter.id, "{light}");
            assert_eq!(lights(&body), [light]);
        }
        // Chinese names work too.
        let (_, body) = json(office_s.get("/api/v1/matters?light=红灯").await).await;
        assert_eq!(body["total"], 1);

        // The unit filter looks at that unit's tracks: unit B's part of the
        // green matter is green, and B's own matter is yellow.
        let (_, body) = json(office_s.get(&format!("/api/v1/matters?unit={}", w.b)).await).await;
        assert_eq!(titles(&body), ["重大项目推进", "今日交办"]);
        let (_, body) = json(
            office_s
                .get(&format!(
                    "/api/v1/matters?unit={},{}&light=yellow",
                    w.a, w.b
                ))
                .await,
        )
        .await;
        assert_eq!(titles(&body), ["今日交办"]);
        let (_, body) = json(
            office_s
                .get(&format!("/api/v1/matters?leader={}", w.ids["leader_a"]))
                .await,
        )
        .await;
        assert_eq!(titles(&body), ["已办结事项", "重大项目推进", "逾期未签收"]);
        let (_, body) = json(office_s.get("/api/v1/matters?type=major").await).await;
        assert_eq!(titles(&body), ["重大项目推进"]);
        let (_, body) = json(office_s.get("/api/v1/matters?type=普通&status=open").await).await;
        assert_eq!(titles(&body), ["今日交办", "逾期未签收"]);
        let (_, body) = json(office_s.get("/api/v1/matters?source=meeting").await).await;
        assert_eq!(body["total"], 4);
        let (_, body) = json(office_s.get("/api/v1/matters?source=appeal").await).await;
        assert_eq!(body["total"], 0);
        let (_, body) = json(office_s.get("/api/v1/matters?state=closed").await).await;
        assert_eq!(titles(&body), ["已办结事项"]);
        let (_, body) = json(
            office_s
                .get(&format!(
                    "/api/v1/matters?deadline_from={}&deadline_to={}",
                    far, far
                ))
                .await,
        )
        .await;
        assert_eq!(titles(&body), ["重大项目推进"]);
        let (_, body) = json(office_s.get("/api/v1/matters?q=项目").await).await;
        assert_eq!(titles(&body), ["重大项目推进"]);
        let (_, body) = json(office_s.get("/api/v1/matters?sort=due").await).await;
        assert_eq!(
            titles(&body),
            ["逾期未签收", "今日交办", "重大项目推进", "已办结事项"]
        );
        let (_, body) = json(office_s.get("/api/v1/matters?sort=deadline&role=co").await).await;
        assert_eq!(titles(&body), ["重大项目推进"]);

        // Scoping: unit users see their unit's matters with their unit's
        // light; leaders their units'; the public none of these.
        let (_, body) = json(w.s("handler_a").get("/api/v1/matters").await).await;
        assert_eq!(titles(&body), ["已办结事项", "重大项目推进", "逾期未签收"]);
        let (_, body) = json(w.s("liaison_b").get("/api/v1/matters").await).await;
        assert_eq!(titles(&body), ["重大项目推进", "今日交办"]);
        // A unit filter cannot widen a unit user's scope.
        let (_, body) = json(
            w.s("liaison_b")
                .get(&format!("/api/v1/matters?unit={}", w.a))
                .await,
        )
        .await;
        assert_eq!(body["total"], 0);
        let (_, body) = json(w.s("leader_b").get("/api/v1/matters?light=yellow").await).await;
        assert_eq!(titles(&body), ["今日交办"]);
        let (_, body) = json(w.s("public1").get("/api/v1/matters").await).await;
        assert_eq!(body["total"], 0);

        // Bad parameters are refused, not ignored.
        for (q, needle) in [
            ("light=purple", "purple"),
            ("colour=red", "colour"),
            ("limit=0", "limit"),
            ("limit=x", "limit"),
            ("deadline_from=明年", "YYYY-MM-DD"),
            ("state=lost", "lost"),
            ("sort=random", "random"),
        ] {
            let (status, msg) = error_of(office_s.get(&format!("/api/v1/matters?{q}")).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{q}");
            assert!(msg.contains(needle), "{q}: {msg}");
        }
        // Well formed, but the user named is no leader.
        let (status, msg) = error_of(office_s.get("/api/v1/matters?leader=424242").await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("不是分管领导"), "{msg}");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_board_pages_through_hundreds_of_matters_with_a_total() {
    for url in fresh_databases("api_board_pages").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let t = now();
        let n = 450;
        for i in 0..n {
            let unit = if i % 3 == 0 { w.b } else { w.a };
            let ty = if i % 5 == 0 {
                MatterType::major()
            } else {
                MatterType::ordinary()
            };
            let at = t - Duration::days(i % 40) - Duration::minutes(1);
            stored_matter(
                &app.store,
                &format!("第{i}项"),
                ty,
                vec![unit],
                vec![],
                None,
                at,
            )
            .await;
        }
        let office = w.s("office");
        let mut seen = HashSet::new();
        let mut offset = 0;
        let started = std::time::Instant::now();
        loop {
            let (status, body) = json(
                office
                    .get(&format!(
                        "/api/v1/matters?limit=200&offset={offset}&sort=due"
                    ))
                    .await,
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(body["total"], n);
            let page = body["matters"].as_array().unwrap();
            for m in page {
                assert!(
                    seen.insert(m["id"].as_i64().unwrap()),
                    "listed twice: {}",
                    m["id"]
                );
            }
            if page.len() < 200 {
                break;
            }
            offset += 200;
        }
        assert_eq!(seen.len(), n as usize);
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        // The counts by light add up to the whole.
        let mut sum = 0;
        for light in ["green", "yellow", "red", "done", "unknown"] {
            let (_, body) = json(
                office
                    .get(&format!("/api/v1/matters?light={light}&limit=200"))
                    .await,
            )
            .await;
            for l in lights(&body) {
                assert_eq!(l, light);
            }
            sum += body["total"].as_i64().unwrap();
        }
        assert_eq!(sum, n);
        // A unit user's total counts their unit's matters only.
        let (_, body) = json(w.s("liaison_b").get("/api/v1/matters?limit=1").await).await;
        assert_eq!(body["total"], (0..n).filter(|i| i % 3 == 0).count());
        app.stop().await;
    }
}

#[tokio::test]
async fn a_matters_detail_has_tracks_limits_reports_and_log_and_is_404_out_of_scope() {
    for url in fresh_databases("api_matter_detail").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let t = now();
        let m = stored_matter(
            &app.store,
            "老旧小区改造",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            t - Duration::hours(1),
        )
        .await;
        let id = m.matter.id;
        let tr = &m.tracks[0];
        let liaison = w.s("liaison_a");
        let (status, _) = json(
            liaison
                .post(
                    &format!("/api/v1/tracks/{}/actions", tr.track.id),
                    &json!({ "version": 1, "action": "sign_for" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = json(
            liaison
                .post(
                    &format!("/api/v1/tracks/{}/actions", tr.track.id),
                    &json!({ "version": 2, "action": "report", "text": "已制定改造方案" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);

        let (status, body) = json(w.s("office").get(&format!("/api/v1/matters/{id}")).await).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let m = &body["matter"];
        let track = &m["tracks"][0];
        assert_eq!(track["state"], "signed_for");
        assert_eq!(track["version"], 3);
        assert_eq!(track["reports"][0]["kind"], "report");
        assert_eq!(track["reports"][0]["kind_label"], "反馈");
        assert_eq!(track["reports"][0]["body"], "已制定改造方案");
        assert_eq!(track["reports"][0]["author_name"], "liaison_a的名字");
        assert_eq!(
            track["allowed"],
            json!(["withdraw"]),
            "the office may only withdraw now"
        );
        let actions: Vec<&str> = m["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "matter.create",
                "track.assign",
                "track.sign_for",
                "track.report"
            ]
        );
        // The unit is offered its own actions.
        let (_, body) = json(liaison.get(&format!("/api/v1/matters/{id}")).await).await;
        assert_eq!(
            body["matter"]["tracks"][0]["allowed"],
            json!(["report", "apply_to_close", "request_extension"])
        );

        // Out of scope answers as a matter that does not exist.
        for who in ["liaison_b", "leader_b", "public1"] {
            let (status, msg) =
                error_of(w.s(who).get(&format!("/api/v1/matters/{id}")).await).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{who}");
            assert_eq!(msg, format!("事项 {id} 不存在"));
        }
        let (status, msg) = error_of(w.s("office").get("/api/v1/matters/987654").await).await;
        assert_eq!(
            (status, msg.as_str()),
            (StatusCode::NOT_FOUND, "事项 987654 不存在")
        );
        let (status, msg) = error_of(w.s("office").get("/api/v1/matters/abc").await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(msg.contains("abc"), "{msg}");
        app.stop().await;
    }
}

#[tokio::test]
async fn withdrawing_marks_a_matter_withdrawn_and_keeps_everything() {
    for url in fresh_databases("api_withdraw").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let t = now();
        let m = stored_matter(
            &app.store,
            "临时任务",
            MatterType::ordinary(),
            vec![w.a],
            vec![w.b],
            None,
            t - Duration::hours(1),
        )
        .await;
        let id = m.matter.id;
        let path = format!("/api/v1/matters/{id}/withdraw");
        let office = w.s("office");

        let (status, msg) = error_of(office.post(&path, &json!({ "reason": " " })).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("理由"), "{msg}");
        let (status, msg) = error_of(
            office
                .post(&path, &json!({ "reason": "重复交办", "version": 7 }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(msg.contains("刷新"), "{msg}");
        let (status, _) = json(
            w.s("head_a")
                .post(&path, &json!({ "reason": "不想办" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = json(w.s("public1").post(&path, &json!({ "reason": "x" })).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, msg) = error_of(office.post_raw(&path, "reason=重复").await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{msg}");

        let (status, body) = json(
            office
                .post(&path, &json!({ "reason": "与第3项重复交办", "version": 1 }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["matter"]["status"], "withdrawn");
        assert_eq!(body["matter"]["light"], "done");
        for tr in body["matter"]["tracks"].as_array().unwrap() {
            assert_eq!(tr["state"], "withdrawn");
        }
        let (status, msg) =
            error_of(office.post(&path, &json!({ "reason": "再撤一次" })).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("已撤销"), "{msg}");
        // The unit can no longer act on it; the record stays, with the reason.
        let tid = m.tracks[0].track.id;
        let (status, msg) = error_of(
            w.s("liaison_a")
                .post(
                    &format!("/api/v1/tracks/{tid}/actions"),
                    &json!({ "version": 2, "action": "sign_for" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("撤销"), "{msg}");
        let (_, body) = json(office.get(&format!("/api/v1/matters/{id}")).await).await;
        assert_eq!(
            body["matter"]["tracks"][0]["reports"][0]["kind"],
            "withdraw"
        );
        assert_eq!(
            body["matter"]["tracks"][0]["reports"][0]["body"],
            "与第3项重复交办"
        );
        let last = body["matter"]["events"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(last["action"], "matter.withdraw");
        let (_, body) = json(office.get("/api/v1/matters?status=withdrawn").await).await;
        assert_eq!(body["total"], 1);

        // A closed matter cannot be withdrawn.
        let cal = app.store.calendar().await.unwrap();
        let m2 = stored_matter(
            &app.store,
            "已办结",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            t - Duration::hours(1),
        )
        .await;
        let tid = m2.tracks[0].track.id;
        let s = &app.store;
        let v = s
            .act(None, tid, 1, &Action::SignFor, t, &cal)
            .await
            .unwrap()
            .version;
        let v = s
            .act(
                None,
                tid,
                v,
                &Action::ApplyToClose {
                    text: "完成".into(),
                },
                t,
                &cal,
            )
            .await
            .unwrap()
            .version;
        s.act(
            None,
            tid,
            v,
            &Action::Close {
                grade: Grade::Pass,
                reason: String::new(),
            },
            t,
            &cal,
        )
        .await
        .unwrap();
        let (status, msg) = error_of(
            office
                .post(
                    &format!("/api/v1/matters/{}/withdraw", m2.matter.id),
                    &json!({ "reason": "x" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("已办结"), "{msg}");
        assert!(app.store.verify_events().await.unwrap().is_ok());
        app.stop().await;
    }
}
