//! The tracks API: a unit's to-do list, the office's filtered list, the
//! whole workflow over HTTP, and every way an action is refused: stale
//! versions, illegal transitions, unknown actions, missing fields, the wrong
//! actor, and limits in a year the calendar lacks.

use crate::helpers::{json, TestApp};
use crate::matters::{now, stored_matter, World};
use chrono::{Duration, NaiveDate};
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterType, Source};
use duban_domain::workflow::Action;
use duban_store::testing::fresh_databases;
use duban_store::NewMatter;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn ids(body: &Value) -> Vec<i64> {
    body["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

async fn error_of(resp: reqwest::Response) -> (StatusCode, String) {
    let (status, body) = json(resp).await;
    (
        status,
        body["error"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn a_unit_sees_what_it_owes_soonest_first_and_the_office_filters() {
    for url in fresh_databases("api_tracks_list").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let s = &app.store;
        let t = now();
        let cal = s.calendar().await.unwrap();
        let late = stored_matter(
            s,
            "逾期事项",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            t - Duration::days(20),
        )
        .await;
        let fresh = stored_matter(
            s,
            "新交办",
            MatterType::ordinary(),
            vec![w.a],
            vec![w.b],
            None,
            t - Duration::seconds(1),
        )
        .await;
        let far = t.date() + Duration::days(120);
        let long = stored_matter(
            s,
            "长期事项",
            MatterType::major(),
            vec![w.a],
            vec![],
            Some(far),
            t - Duration::minutes(3),
        )
        .await;
        let lt = long.tracks[0].track.id;
        let v = s
            .act(
                None,
                lt,
                1,
                &Action::SignFor,
                t - Duration::minutes(2),
                &cal,
            )
            .await
            .unwrap()
            .version;
        s.act(
            None,
            lt,
            v,
            &Action::Report {
                text: "推进中".into(),
            },
            t - Duration::minutes(1),
            &cal,
        )
        .await
        .unwrap();
        let closed = stored_matter(
            s,
            "已办结",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            t - Duration::days(2),
        )
        .await;
        let ct = closed.tracks[0].track.id;
        let v = s
            .act(None, ct, 1, &Action::SignFor, t - Duration::days(2), &cal)
            .await
            .unwrap()
            .version;
        let v = s
            .act(
                None,
                ct,
                v,
                &Action::ApplyToClose {
                    text: "完成".into(),
                },
                t - Duration::days(1),
                &cal,
            )
            .await
            .unwrap()
            .version;
        s.act(
            None,
            ct,
            v,
            &Action::Close {
                grade: "优秀".parse().unwrap(),
                reason: String::new(),
            },
            t - Duration::days(1),
            &cal,
        )
        .await
        .unwrap();

        // Unit A's list: open tracks, the most urgent first, each with its
        // light and what the unit may do.
        let (status, body) = json(w.s("handler_a").get("/api/v1/tracks").await).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (l, f, g) = (late.tracks[0].track.id, fresh.tracks[0].track.id, lt);
        assert_eq!(ids(&body), [l, f, g]);
        assert_eq!(body["total"], 3);
        let lights: Vec<&str> = body["tracks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["light"].as_str().unwrap())
            .collect();
        assert_eq!(lights, ["red", "yellow", "green"]);
        assert_eq!(body["tracks"][0]["matter"]["title"], "逾期事项");
        assert_eq!(body["tracks"][0]["unit_name"], "区发展和改革局");
        assert!(body["tracks"][0]["overdue_days"].as_u64().unwrap() >= 10);
        assert_eq!(body["tracks"][0]["dues"][0]["limit"], "deploy");
        assert_eq!(body["tracks"][0]["allowed"], json!(["sign_for"]));
        // With closed ones when asked.
        let (_, body) = json(w.s("handler_a").get("/api/v1/tracks?open=false").await).await;
        assert_eq!(body["total"], 4);
        // A unit cannot list another unit's tracks.
        let (_, body) = json(
            w.s("liaison_b")
                .get(&format!("/api/v1/tracks?unit={}", w.a))
                .await,
        )
        .await;
        assert_eq!(body["total"], 0);
        let (_, body) = json(w.s("liaison_b").get("/api/v1/tracks").await).await;
        assert_eq!(ids(&body), [fresh.tracks[1].track.id]);
        // Leaders see their units'.
        let (_, body) = json(w.s("leader_a").get("/api/v1/tracks").await).await;
        assert_eq!(body["total"], 3);
        // The office sees all and filters.
        let office = w.s("office");
        let (_, body) = json(office.get("/api/v1/tracks").await).await;
        assert_eq!(body["total"], 4);
        assert_eq!(body["tracks"][0]["allowed"], json!(["withdraw"]));
        let (_, body) = json(office.get("/api/v1/tracks?light=red").await).await;
        assert_eq!(ids(&body), [l]);
        let (_, body) = json(office.get("/api/v1/tracks?light=yellow&role=co").await).await;
        assert_eq!(ids(&body), [fresh.tracks[1].track.id]);
        let (_, body) = json(
            office
                .get(&format!("/api/v1/tracks?matter={}", fresh.matter.id))
                .await,
        )
        .await;
        assert_eq!(body["total"], 2);
        let (_, body) = json(office.get("/api/v1/tracks?state=closed&open=false").await).await;
        assert_eq!(ids(&body), [ct]);
        let (_, body) = json(
            office
                .get(&format!("/api/v1/tracks?due_by={}", t.date()))
                .await,
        )
        .await;
        assert_eq!(body["total"], 3, "the late one and the two assigned today");
        let (_, body) = json(office.get("/api/v1/tracks?limit=1&offset=1").await).await;
        assert_eq!(body["tracks"].as_array().unwrap().len(), 1);
        assert_eq!(body["total"], 4);
        // The public follows appeals elsewhere; bad parameters are refused.
        let (status, _) = json(w.s("public1").get("/api/v1/tracks").await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, msg) = error_of(office.get("/api/v1/tracks?open=maybe").await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(msg.contains("open"), "{msg}");
        let (status, _) = json(office.get("/api/v1/tracks?light=blue").await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        app.stop().await;
    }
}

#[tokio::test]
async fn a_matter_runs_to_close_over_http() {
    for url in fresh_databases("api_tracks_flow").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let m = stored_matter(
            &app.store,
            "整治占道经营",
            MatterType::ordinary(),
            vec![w.a],
            vec![w.b],
            None,
            now() - Duration::minutes(1),
        )
        .await;
        let tid = m.tracks[0].track.id;
        let path = format!("/api/v1/tracks/{tid}/actions");
        let office = w.s("office");
        let step = |who: &'static str, body: Value| {
            let w = &w;
            let path = path.clone();
            async move {
                let (status, body) = json(w.s(who).post(&path, &body).await).await;
                assert_eq!(status, StatusCode::OK, "{who}: {body}");
                body
            }
        };
        let b = step("head_a", json!({ "version": 1, "action": "sign_for" })).await;
        assert_eq!(b["track"]["state"], "signed_for");
        assert_eq!(b["track"]["version"], 2);
        let b = step(
            "handler_a",
            json!({ "version": 2, "action": "report", "text": "已清理3处" }),
        )
        .await;
        let until = (now().date() + Duration::days(30)).to_string();
        let b = step("liaison_a", json!({ "version": b["track"]["version"], "action": "request_extension", "until": until, "plan": "分三批整治" })).await;
        assert_eq!(b["track"]["pending_extension"]["plan"], "分三批整治");
        assert_eq!(b["track"]["allowed"], json!(["report", "apply_to_close"]));
        let b = step("office", json!({ "version": b["track"]["version"], "action": "refuse_extension", "reason": "时间过长" })).await;
        assert_eq!(b["track"]["extensions_refused"], 1);
        let b = step("liaison_a", json!({ "version": b["track"]["version"], "action": "request_extension", "until": until, "plan": "分两批整治" })).await;
        let b = step(
            "admin",
            json!({ "version": b["track"]["version"], "action": "grant_extension" }),
        )
        .await;
        assert_eq!(b["track"]["limits"]["resolve"], until.as_str());
        let b = step("head_a", json!({ "version": b["track"]["version"], "action": "apply_to_close", "text": "已全部整治" })).await;
        assert_eq!(b["track"]["state"], "close_requested");
        let b = step(
            "office",
            json!({ "version": b["track"]["version"], "action": "return", "reason": "缺照片" }),
        )
        .await;
        assert_eq!(b["track"]["state"], "returned");
        let b = step("head_a", json!({ "version": b["track"]["version"], "action": "apply_to_close", "text": "已补充照片" })).await;
        let b = step("office", json!({ "version": b["track"]["version"], "action": "close", "grade": "良好", "reason": "按期完成" })).await;
        assert_eq!(b["track"]["state"], "closed");
        assert_eq!(b["track"]["grade"], "good");
        assert_eq!(b["track"]["grade_label"], "良好");
        assert_eq!(b["track"]["light"], "done");
        // The lead track closed: the matter is closed although the
        // co-operating unit's track is still open.
        assert_eq!(b["matter"]["status"], "closed");
        let (_, body) = json(
            office
                .get(&format!("/api/v1/matters/{}", m.matter.id))
                .await,
        )
        .await;
        assert_eq!(body["matter"]["status_label"], "已销号");
        let kinds: Vec<&str> = body["matter"]["tracks"][0]["reports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "report",
                "extension_request",
                "extension_refused",
                "extension_request",
                "close_application",
                "return",
                "close_application",
                "close"
            ]
        );
        assert!(app.store.verify_events().await.unwrap().is_ok());
        app.stop().await;
    }
}

#[tokio::test]
async fn bad_actions_are_refused_with_the_reason() {
    for url in fresh_databases("api_tracks_bad").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let m = stored_matter(
            &app.store,
            "清理违规广告牌",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            now() - Duration::minutes(1),
        )
        .await;
        let tid = m.tracks[0].track.id;
        let path = format!("/api/v1/tracks/{tid}/actions");
        let office = w.s("office");
        let liaison = w.s("liaison_a");

        // Closing a matter nobody signed for: the domain's reason.
        let (status, msg) = error_of(
            office
                .post(
                    &path,
                    &json!({ "version": 1, "action": "close", "grade": "优秀" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(msg, "该单位尚未签收，不能办结；请先由单位签收并申请办结");
        let (status, msg) = error_of(
            liaison
                .post(
                    &path,
                    &json!({ "version": 1, "action": "report", "text": "进展" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("请先签收"), "{msg}");

        let cases: Vec<(Value, &str)> = vec![
            (
                json!({ "version": 1, "action": "approve" }),
                "未知的操作“approve”",
            ),
            (
                json!({ "version": 1, "action": "approve" }),
                "sign_for（签收）",
            ),
            (json!({ "version": 1 }), "缺少操作 action"),
            (json!({ "action": "sign_for" }), "缺少版本号 version"),
            (
                json!({ "version": "1", "action": "sign_for" }),
                "version 应为整数",
            ),
            (json!({ "version": 1, "action": "report" }), "缺少字段 text"),
            (
                json!({ "version": 1, "action": "report", "text": 3 }),
                "应为文本",
            ),
            (
                json!({ "version": 1, "action": "close", "grade": "较好" }),
                "无法识别的评定等次“较好”",
            ),
            (
                json!({ "version": 1, "action": "request_extension", "until": "下个月", "plan": "计划" }),
                "YYYY-MM-DD",
            ),
            (json!([1, 2]), "JSON 对象"),
            // A field no action has, or one of the wrong kind, is named.
            (
                json!({ "version": 1, "action": "sign_for", "colour": "red" }),
                "未知字段 colour",
            ),
            (
                json!({ "version": 1, "action": "return", "reason": ["太短"] }),
                "reason 应为文本",
            ),
            (
                json!({ "version": 1, "action": "report", "text": "x", "files": [{ "name": 7, "base64": "" }] }),
                "files[0].name 应为文本",
            ),
        ];
        for (body, needle) in cases {
            let (status, msg) = error_of(liaison.post(&path, &body).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {msg}");
            assert!(msg.contains(needle), "{body}: {msg}");
        }
        let (status, msg) = error_of(
            liaison
                .post_raw(&path, "{\"version\": 1, \"action\": ")
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(msg.starts_with("JSON 格式错误"), "{msg}");

        // The wrong actor.
        let (status, msg) = error_of(
            office
                .post(&path, &json!({ "version": 1, "action": "sign_for" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(msg.contains("区发展和改革局"), "{msg}");
        let (status, msg) = error_of(
            liaison
                .post(&path, &json!({ "version": 1, "action": "withdraw" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(msg.contains("督查室"), "{msg}");
        let (status, _) = json(
            w.s("leader_a")
                .post(&path, &json!({ "version": 1, "action": "sign_for" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, msg) = error_of(
            w.s("liaison_b")
                .post(&path, &json!({ "version": 1, "action": "sign_for" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(msg, format!("办理记录 {tid} 不存在"));
        let (status, _) = json(
            liaison
                .post(
                    "/api/v1/tracks/99999/actions",
                    &json!({ "version": 1, "action": "sign_for" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // No CSRF token: refused before anything else.
        let resp = liaison
            .client
            .post(format!("{}{path}", liaison.base))
            .json(&json!({ "version": 1, "action": "sign_for" }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);

        // A stale version: two people at once, one wins, the other is told
        // to refresh.
        let (status, _) = json(
            liaison
                .post(&path, &json!({ "version": 1, "action": "sign_for" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, msg) = error_of(
            w.s("head_a")
                .post(&path, &json!({ "version": 1, "action": "sign_for" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(msg.contains("刷新"), "{msg}");
        // Signing for twice with the right version is the domain's refusal.
        let (status, msg) = error_of(
            w.s("head_a")
                .post(&path, &json!({ "version": 2, "action": "sign_for" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("无需重复签收"), "{msg}");
        let (status, msg) = error_of(
            liaison
                .post(
                    &path,
                    &json!({ "version": 2, "action": "report", "text": "  " }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("反馈内容不能为空"), "{msg}");
        let (status, msg) = error_of(
            office
                .post(&path, &json!({ "version": 2, "action": "grant_extension" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("没有待审批的延期申请"), "{msg}");
        // Nothing of the refusals reached the log: create, assign, sign for.
        let (_, body) = json(
            office
                .get(&format!("/api/v1/matters/{}", m.matter.id))
                .await,
        )
        .await;
        assert_eq!(body["matter"]["events"].as_array().unwrap().len(), 3);
        app.stop().await;
    }
}

#[tokio::test]
async fn a_limit_in_a_year_without_official_data_is_provisional_until_an_admin_enters_it() {
    for url in fresh_databases("api_tracks_calendar").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        // A matter assigned in 2019, which the shipped calendar does not
        // cover: its limits come from the provisional 2019 and say so.
        let assigned = NaiveDate::from_ymd_opt(2019, 12, 20)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let m = app
            .store
            .create_matter(
                None,
                NewMatter {
                    title: "2019年遗留事项".into(),
                    detail: String::new(),
                    matter_type: MatterType::ordinary(),
                    source: Source::Instruction {
                        leader: "区长".into(),
                        date: None,
                    },
                    deadline: None,
                    targets: json!([]),
                    lead: vec![w.a],
                    co: vec![],
                    raised_by: None,
                },
                assigned,
                &Calendar::official(),
            )
            .await
            .unwrap();
        let tid = m.tracks[0].track.id;
        let path = format!("/api/v1/matters/{}", m.matter.id);
        let (_, body) = json(w.s("office").get(&path).await).await;
        let track = &body["matter"]["tracks"][0];
        assert_eq!(track["light"], "red", "{track}");
        assert_eq!(track["limits"]["first_report"], "2019-12-25");
        assert_eq!(
            track["limits"]["provisional"]["first_report"], true,
            "{track}"
        );
        assert_eq!(track["limits"]["provisional"]["deploy"], true, "{track}");
        assert!(
            track["provisional_note"]
                .as_str()
                .unwrap()
                .contains("2019年"),
            "{track}"
        );
        assert_eq!(track["dues"][0]["provisional"], true, "{track}");
        let (_, body) = json(w.s("office").get("/api/v1/matters?light=unknown").await).await;
        assert_eq!(body["total"], 0);
        // The unit acts as on any other day.
        let (status, body) = json(
            w.s("liaison_a")
                .post(
                    &format!("/api/v1/tracks/{tid}/actions"),
                    &json!({ "version": 1, "action": "sign_for" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // An empty year is refused: it would silently drop every holiday.
        let (status, msg) = error_of(
            w.s("admin")
                .put(
                    "/api/v1/calendar/2019",
                    &json!({ "holidays": [], "workdays": [] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("2019") && msg.contains("删除"), "{msg}");
        // The admin enters 2019: the limits are official, recomputed.
        let (status, body) = json(
            w.s("admin")
                .put(
                    "/api/v1/calendar/2019",
                    &json!({ "source": "国务院办公厅关于2019年部分节假日安排的通知",
                             "holidays": ["2019-01-01", "2019-10-01", "2019-10-02", "2019-10-03"],
                             "workdays": [] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(
            body["recomputed"]["tracks"].as_u64().unwrap() >= 1,
            "{body}"
        );
        let (_, body) = json(w.s("office").get(&path).await).await;
        let track = &body["matter"]["tracks"][0];
        assert_eq!(track["limits"]["first_report"], "2019-12-25");
        assert_eq!(
            track["limits"]["provisional"]["first_report"], false,
            "{track}"
        );
        assert!(track["provisional_note"].is_null(), "{track}");
        // Removing it makes 2019 provisional again.
        let (status, body) = json(w.s("admin").delete("/api/v1/calendar/2019").await).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["provenance"], "provisional");
        let (status, _) = json(w.s("admin").delete("/api/v1/calendar/2019").await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        app.stop().await;
    }
}

#[tokio::test]
async fn files_go_with_a_report_and_come_back_only_to_those_who_see_the_matter() {
    use base64::Engine as _;
    for url in fresh_databases("api_tracks_files").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let m = stored_matter(
            &app.store,
            "更换破损井盖",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            now() - Duration::minutes(1),
        )
        .await;
        let tid = m.tracks[0].track.id;
        let path = format!("/api/v1/tracks/{tid}/actions");
        let liaison = w.s("liaison_a");
        let (status, _) = json(
            liaison
                .post(&path, &json!({ "version": 1, "action": "sign_for" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let pdf = b"%PDF-1.4 test report".to_vec();
        let b64 = base64::engine::general_purpose::STANDARD.encode(&pdf);
        // Files only go with what a unit writes.
        let (status, msg) = error_of(
            liaison
                .post(
                    &path,
                    &json!({ "version": 2, "action": "request_extension", "until": "下月",
                             "plan": "x", "files": "not a list" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{msg}");
        assert!(msg.contains("files 应为数组，每项形如"), "{msg}");
        let (status, msg) = error_of(
            liaison
                .post(
                    &path,
                    &json!({ "version": 2, "action": "report", "text": "已更换",
                             "files": [{ "name": "检测报告.pdf", "base64": "%%%" }] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{msg}");
        assert!(msg.contains("无法解码"), "{msg}");
        let (status, body) = json(
            liaison
                .post(
                    &path,
                    &json!({ "version": 2, "action": "report", "text": "已更换12处井盖",
                             "files": [{ "name": "检测报告.pdf", "mime": "application/pdf", "base64": b64 }] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // The matter lists the file with its report.
        let (_, body) = json(
            w.s("office")
                .get(&format!("/api/v1/matters/{}", m.matter.id))
                .await,
        )
        .await;
        let report = &body["matter"]["tracks"][0]["reports"][0];
        assert_eq!(report["body"], "已更换12处井盖");
        let file = &report["files"][0];
        assert_eq!(
            (file["name"].as_str(), file["size"].as_i64()),
            (Some("检测报告.pdf"), Some(pdf.len() as i64))
        );
        let at = format!("/api/v1/attachments/{}", file["id"]);
        // Downloaded whole by those who see the matter, never rendered.
        for who in ["office", "liaison_a", "leader_a"] {
            let resp = w.s(who).get(&at).await;
            assert_eq!(resp.status(), StatusCode::OK, "{who}");
            assert_eq!(resp.headers()["content-type"], "application/pdf");
            assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
            assert!(resp.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;"));
            assert_eq!(resp.bytes().await.unwrap().to_vec(), pdf, "{who}");
        }
        for who in ["liaison_b", "leader_b", "public1"] {
            assert_eq!(
                w.s(who).get(&at).await.status(),
                StatusCode::NOT_FOUND,
                "{who}"
            );
        }
        app.stop().await;
    }
}
