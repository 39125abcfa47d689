//! Matter types: an admin sets up a custom type, matters (created,
//! accepted from an appeal, confirmed from a document) use it with its own
//! counting and terms, bad definitions are refused in Chinese, a change
//! reaches only new matters, a retired type is no longer offered; and the
//! settings pages that show and edit types, units, users and the calendar.

use crate::helpers::{json, Session, TestApp};
use crate::matters::{stored_matter, World};
use chrono::NaiveDate;
use duban_store::appeals::NewAppeal;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn put(s: &Session, path: &str, body: &Value) -> (StatusCode, Value) {
    json(
        s.client
            .put(format!("{}{path}", s.base))
            .header("x-csrf-token", &s.csrf)
            .json(body)
            .send()
            .await
            .expect("request"),
    )
    .await
}

async fn error_of(resp: reqwest::Response) -> (StatusCode, String) {
    let (status, body) = json(resp).await;
    (
        status,
        body["error"].as_str().unwrap_or_default().to_string(),
    )
}

fn find<'a>(list: &'a Value, name: &str) -> &'a Value {
    list["matter_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("{name} not listed: {list}"))
}

/// The limits of a matter's first track as the API shows them.
async fn limits(s: &Session, matter: i64) -> Value {
    let (status, body) = json(s.get(&format!("/api/v1/matters/{matter}")).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["matter"]["tracks"][0]["limits"].clone()
}

fn at(date: &str) -> chrono::NaiveDateTime {
    date.parse::<NaiveDate>()
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

#[tokio::test]
async fn custom_types_count_their_own_days_and_bad_ones_are_refused() {
    for url in fresh_databases("api_types").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let (admin, office) = (w.s("admin"), w.s("office"));

        // Everyone logged in reads the types, with their limits in words.
        let (status, list) = json(w.s("liaison_a").get("/api/v1/matter-types").await).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list["matter_types"].as_array().unwrap().len(), 3);
        let ordinary = find(&list, "普通事项");
        assert_eq!(
            ordinary["description"],
            "工作日计；当天签收部署，3个工作日内反馈，7个工作日内办结"
        );
        assert_eq!(ordinary["standard"], true);
        assert_eq!(ordinary["resolve"], json!({ "days": 7 }));

        // A custom type counting working days, resolved within 5.
        let (status, body) = json(
            admin
                .post(
                    "/api/v1/matter-types",
                    &json!({ "name": "专项整治事项", "counting": "工作日", "deploy_days": 0, "report_days": 3, "resolve": { "days": 5 } }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let t = &body["matter_type"];
        assert_eq!(t["kind"], "custom");
        assert_eq!(t["counting"], "working");
        assert_eq!(
            (t["standard"].clone(), t["active"].clone()),
            (json!(false), json!(true))
        );
        assert_eq!(
            t["description"],
            "工作日计；当天签收部署，3个工作日内反馈，5个工作日内办结"
        );
        // And one counting calendar days, to compare.
        let (status, body) = json(
            admin
                .post(
                    "/api/v1/matter-types",
                    &json!({ "name": "自然日专项", "counting": "calendar", "resolve": { "days": 5 } }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(
            body["matter_type"]["description"],
            "自然日计；当天签收部署，3天内反馈，5天内办结"
        );

        // The office creates a matter of the custom type; its limits come
        // from the type, counted on the working-day calendar.
        let (status, body) = json(
            office
                .post(
                    "/api/v1/matters",
                    &json!({ "title": "违建专项整治", "type": "专项整治事项", "source": { "type": "meeting", "name": "常务会议" }, "lead": [w.a] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let m = &body["matter"];
        assert_eq!(
            (m["type"].clone(), m["kind"].clone()),
            (json!("专项整治事项"), json!("custom"))
        );
        let cal = app.store.calendar().await.unwrap();
        let today = crate::matters::now().date();
        assert_eq!(
            m["tracks"][0]["limits"]["resolve"],
            cal.add_working_days(today, 5).unwrap().to_string()
        );
        let first_matter = m["id"].as_i64().unwrap();

        // Over a weekend and a holiday: assigned on Friday 27 September
        // 2024, before the National Day holidays (1–7 October; Sunday 29
        // September is a 调休 workday).
        let custom = app.store.matter_type_named("专项整治事项").await.unwrap();
        let friday = stored_matter(
            &app.store,
            "国庆前交办",
            custom,
            vec![w.a],
            vec![],
            None,
            at("2024-09-27"),
        )
        .await;
        let l = limits(office, friday.matter.id).await;
        assert_eq!(l["deploy"], "2024-09-27");
        assert_eq!(
            l["first_report"], "2024-10-08",
            "29 Sep, 30 Sep, then 8 Oct"
        );
        assert_eq!(l["resolve"], "2024-10-10");
        let calendar = app.store.matter_type_named("自然日专项").await.unwrap();
        let friday2 = stored_matter(
            &app.store,
            "国庆前交办（自然日）",
            calendar,
            vec![w.a],
            vec![],
            None,
            at("2024-09-27"),
        )
        .await;
        let l = limits(office, friday2.matter.id).await;
        assert_eq!(l["first_report"], "2024-09-30");
        assert_eq!(l["resolve"], "2024-10-02");

        // Accepting an appeal and confirming a document's task take it too.
        let appeal = app
            .store
            .create_appeal(
                w.ids["public1"],
                NewAppeal {
                    title: "占道经营".into(),
                    content: "早市占道".into(),
                    location: "和平路".into(),
                    contact: "139".into(),
                },
            )
            .await
            .unwrap();
        let (status, body) = json(
            office
                .post(
                    &format!("/api/v1/appeals/{}/accept", appeal.id),
                    &json!({ "type": "专项整治事项", "lead": [w.a] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let accepted = app
            .store
            .matter(body["matter_id"].as_i64().unwrap())
            .await
            .unwrap();
        assert_eq!(accepted.matter.matter_type.name, "专项整治事项");

        let text = "运城市盐湖区人民政府办公室 关于印发专项整治任务分解的通知\n\
                    运盐政办发〔2024〕77号\n\
                    各乡镇人民政府、街道办事处，区直各有关单位：\n\
                    现将专项整治任务分解印发给你们，请抓好落实。\n\
                    运城市盐湖区人民政府办公室\n\
                    2024年3月22日\n\
                    一、整治任务：\n\
                    1.拆除违法建筑。\n\
                    责任单位：区发展和改革局\n";
        let done =
            duban_service::ingest::ingest(&app.store, None, "专项.txt", text.as_bytes(), true)
                .await
                .unwrap();
        let doc = app.store.documents_of(done.source_id).await.unwrap()[0].clone();
        let p = app.store.proposals_of(doc.id).await.unwrap()[0].clone();
        let (status, body) = json(
            office
                .post(
                    &format!("/api/v1/proposals/{}/confirm", p.id),
                    &json!({ "version": p.version, "matter_type": "紧急整治" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .contains("专项整治事项、自然日专项"),
            "the refusal lists the types: {body}"
        );
        let (status, body) = json(
            office
                .post(
                    &format!("/api/v1/proposals/{}/confirm", p.id),
                    &json!({ "version": p.version, "matter_type": "专项整治事项" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let confirmed = app
            .store
            .matter(body["matter"].as_i64().unwrap())
            .await
            .unwrap();
        assert_eq!(
            confirmed.matter.matter_type.resolve,
            Some(duban_domain::matter::Term::Days(5))
        );

        // Bad definitions, each refused with what to fix.
        let new = |v: Value| {
            let mut body =
                json!({ "name": "临时类型", "counting": "working", "resolve": { "days": 7 } });
            for (k, x) in v.as_object().unwrap() {
                body[k] = x.clone();
            }
            body
        };
        for (body, status, says) in [
            (
                new(json!({ "counting": "周日" })),
                StatusCode::BAD_REQUEST,
                "计日方式 counting 应为 自然日 或 工作日",
            ),
            (
                new(json!({ "deploy_days": -1 })),
                StatusCode::BAD_REQUEST,
                "deploy_days 应为 0 到 366 之间的整数",
            ),
            (
                new(json!({ "resolve": { "days": -5 } })),
                StatusCode::BAD_REQUEST,
                "办结天数",
            ),
            (
                new(json!({ "resolve": 5 })),
                StatusCode::BAD_REQUEST,
                "{\"days\": 7}",
            ),
            (
                new(json!({ "resolve": { "days": 2 } })),
                StatusCode::UNPROCESSABLE_ENTITY,
                "请把办结时限设为不少于反馈时限",
            ),
            (
                new(json!({ "resolve": null })),
                StatusCode::UNPROCESSABLE_ENTITY,
                "至少一项",
            ),
            (
                new(json!({ "schedule": { "monthly": { "day": 32 } } })),
                StatusCode::BAD_REQUEST,
                "每月报送日",
            ),
            (
                new(json!({ "name": "专项整治事项" })),
                StatusCode::CONFLICT,
                "已存在",
            ),
            (
                new(json!({ "name": "普通事项" })),
                StatusCode::UNPROCESSABLE_ENTITY,
                "标准事项类型",
            ),
            (
                new(json!({ "name": "major" })),
                StatusCode::UNPROCESSABLE_ENTITY,
                "标准事项类型",
            ),
            (
                new(json!({ "name": " " })),
                StatusCode::BAD_REQUEST,
                "请填写事项类型名称",
            ),
            (
                json!({ "name": "无计日", "resolve": { "days": 7 } }),
                StatusCode::BAD_REQUEST,
                "请填写计日方式",
            ),
            (
                new(json!({ "kind": "major" })),
                StatusCode::BAD_REQUEST,
                "未知字段 kind",
            ),
        ] {
            let (got, message) = error_of(admin.post("/api/v1/matter-types", &body).await).await;
            assert_eq!(got, status, "{body}: {message}");
            assert!(message.contains(says), "{body}: {message}");
        }
        let (status, message) =
            error_of(office.post("/api/v1/matter-types", &new(json!({}))).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(message.contains("系统管理员"), "{message}");
        let (status, _) = put(
            office,
            "/api/v1/matter-types/专项整治事项",
            &json!({ "near_days": 2 }),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = put(
            admin,
            "/api/v1/matter-types/普通事项",
            &json!({ "resolve": { "days": 10 } }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("不能修改"),
            "{body}"
        );
        let (status, _) = put(
            admin,
            "/api/v1/matter-types/没有的类型",
            &json!({ "near_days": 2 }),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = put(
            admin,
            "/api/v1/matter-types/专项整治事项",
            &json!({ "name": "整治事项" }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("不能改名"),
            "{body}"
        );

        // A change reaches new matters only.
        let (status, body) = put(
            admin,
            "/api/v1/matter-types/专项整治事项",
            &json!({ "resolve": { "days": 10 } }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body["matter_type"]["description"],
            "工作日计；当天签收部署，3个工作日内反馈，10个工作日内办结"
        );
        assert_eq!(
            limits(office, friday.matter.id).await["resolve"],
            "2024-10-10"
        );
        let (_, body) = json(office.get(&format!("/api/v1/matters/{first_matter}")).await).await;
        assert_eq!(
            body["matter"]["matter_type"]["resolve"],
            json!({ "days": 5 })
        );

        // Retired: still listed, no longer offered for new matters.
        let (status, body) = put(
            admin,
            "/api/v1/matter-types/自然日专项",
            &json!({ "active": false }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, list) = json(office.get("/api/v1/matter-types").await).await;
        assert_eq!(find(&list, "自然日专项")["active"], false);
        assert_eq!(
            find(&list, "自然日专项")["counting"],
            "calendar",
            "the terms are kept"
        );
        let (status, message) = error_of(
            office
                .post(
                    "/api/v1/matters",
                    &json!({ "title": "停用类型的事项", "type": "自然日专项", "source": { "type": "meeting", "name": "常务会议" }, "lead": [w.a] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(message.contains("已停用"), "{message}");

        assert!(app.store.verify_events().await.unwrap().is_ok());
        app.stop().await;
    }
}

/// Posts a form the way a browser does, with the session's token.
async fn form(s: &Session, path: &str, pairs: &[(&str, &str)]) -> (StatusCode, String, String) {
    let mut body = form_urlencoded::Serializer::new(String::new());
    body.append_pair("_csrf", &s.csrf);
    for (k, v) in pairs {
        body.append_pair(k, v);
    }
    let resp = s
        .client
        .post(format!("{}{path}", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.finish())
        .send()
        .await
        .expect("request");
    let status = resp.status();
    let url = resp.url().to_string();
    (status, url, resp.text().await.unwrap_or_default())
}

async fn page(s: &Session, path: &str) -> (StatusCode, String) {
    let resp = s.get(path).await;
    (resp.status(), resp.text().await.unwrap_or_default())
}

#[tokio::test]
async fn the_settings_pages_show_and_change_types_units_users_and_the_calendar() {
    for url in fresh_databases("ui_settings").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let (admin, office) = (w.s("admin"), w.s("office"));

        // Who may look.
        for path in [
            "/admin",
            "/admin/types",
            "/admin/units",
            "/admin/users",
            "/admin/calendar",
        ] {
            let (status, html) = page(admin, path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {html}");
            let (status, html) = page(office, path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(html.contains("只有系统管理员可以修改设置"), "{path}");
            assert!(
                !html.contains("method=\"post\" action=\"/admin"),
                "{path}: the office gets no forms"
            );
            for who in ["liaison_a", "leader_a", "public1"] {
                let (status, _) = page(w.s(who), path).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{path} as {who}");
            }
        }
        let (_, html) = page(admin, "/admin").await;
        for link in [
            "/admin/units",
            "/admin/users",
            "/admin/calendar",
            "/admin/types",
        ] {
            assert!(html.contains(&format!("href=\"{link}\"")), "{link}");
        }
        let (_, html) = page(admin, "/admin/types").await;
        assert!(
            html.contains("工作日计；当天签收部署，3个工作日内反馈，7个工作日内办结"),
            "{html}"
        );

        // Adding a type; a refused one comes back with what was typed.
        let fields = |name: &'static str, resolve_n: &'static str| {
            vec![
                ("name", name),
                ("counting", "working"),
                ("deploy_days", "0"),
                ("report_days", "3"),
                ("resolve", "days"),
                ("resolve_n", resolve_n),
                ("schedule", "none"),
                ("near_days", "1"),
            ]
        };
        let (status, url, html) = form(admin, "/admin/types", &fields("专项整治事项", "5")).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(url.ends_with("/admin/types?ok=created"), "{url}");
        assert!(html.contains("已保存。"));
        assert!(html.contains("工作日计；当天签收部署，3个工作日内反馈，5个工作日内办结"));
        let (status, _, html) = form(admin, "/admin/types", &fields("反馈晚于办结", "2")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("请把办结时限设为不少于反馈时限"), "{html}");
        assert!(
            html.contains("value=\"反馈晚于办结\""),
            "the typed name is kept"
        );
        let (status, _, html) = form(admin, "/admin/types", &fields("专项整治事项", "5")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(html.contains("已存在"));
        let mut bad = fields("计日有误", "5");
        bad[1] = ("counting", "weekly");
        let (status, _, html) = form(admin, "/admin/types", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("计日方式 counting 应为 自然日 或 工作日"),
            "{html}"
        );
        let (status, _, html) = form(office, "/admin/types", &fields("督查室的类型", "5")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(html.contains("只有系统管理员"), "{html}");
        let resp = admin
            .client
            .post(format!("{}/admin/types", admin.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("_csrf=wrong&name=x&counting=working&resolve=days&resolve_n=7")
            .send()
            .await
            .unwrap();
        assert_eq!(
            resp.status(),
            StatusCode::FORBIDDEN,
            "a form without this session's token"
        );
        assert!(app.store.matter_type_record("x").await.is_err());

        // Editing it: the form shows its terms; a change and a retirement.
        let (_, html) = page(admin, "/admin/types?edit=专项整治事项").await;
        assert!(html.contains("修改“专项整治事项”"), "{html}");
        assert!(html.contains("name=\"resolve_n\" value=\"5\""), "{html}");
        let mut edit = fields("专项整治事项", "6");
        edit.remove(0);
        let (status, url, html) = form(admin, "/admin/types/专项整治事项", &edit).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(url.ends_with("?ok=created"), "{url}");
        let t = app.store.matter_type_record("专项整治事项").await.unwrap();
        assert_eq!(
            t.matter_type.resolve,
            Some(duban_domain::matter::Term::Days(6))
        );
        assert!(!t.active, "an unticked 启用 box retires the type");
        edit.push(("active", "on"));
        edit[4] = ("resolve_n", "1");
        let (status, _, html) = form(admin, "/admin/types/专项整治事项", &edit).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("修改“专项整治事项”") && html.contains("value=\"1\""),
            "{html}"
        );

        // Units.
        let (status, _, html) = form(
            admin,
            "/admin/units",
            &[
                ("name", "区工业和信息化科技局"),
                ("aliases", "区工科局、工科局"),
                ("parent", ""),
                ("level", "county"),
                ("kind", "department"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("区工科局、工科局"), "{html}");
        let u = app.store.units().await.unwrap();
        assert_eq!(u.last().unwrap().aliases, ["区工科局", "工科局"]);
        let (status, _, html) = form(
            admin,
            "/admin/units",
            &[
                ("name", "区财政局"),
                ("aliases", "财政"),
                ("level", "county"),
                ("kind", "department"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(
            html.contains("已存在") && html.contains("value=\"财政\""),
            "{html}"
        );

        // Users; the password is never shown again.
        let (status, _, html) = form(
            admin,
            "/admin/users",
            &[
                ("login", "gkj_liaison"),
                ("name", "王联络"),
                ("role", "liaison"),
                ("unit_id", &w.a.to_string()),
                ("email", ""),
                ("password", "足够长的密码Ab123"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("gkj_liaison") && html.contains("区发展和改革局"));
        let (status, _, html) = form(
            admin,
            "/admin/users",
            &[
                ("login", "no_unit"),
                ("name", "无单位"),
                ("role", "liaison"),
                ("unit_id", ""),
                ("password", "秘密口令不外泄Ab123"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("必须属于一个单位") && html.contains("value=\"no_unit\""),
            "{html}"
        );
        assert!(!html.contains("秘密口令不外泄Ab123"));

        // The calendar: the years listed; a year edited whole.
        let (_, html) = page(admin, "/admin/calendar").await;
        assert!(html.contains("10月1日–7日"), "{html}");
        assert!(html.contains("PUT /api/v1/calendar/"));
        let (status, url, html) = form(
            admin,
            "/admin/calendar/2033",
            &[
                ("holidays", "2033-01-01\n2033-06-06..2033-06-08"),
                ("workdays", ""),
                ("source", "测试"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(url.ends_with("/admin/calendar/2033?ok=created"), "{url}");
        let cal = app.store.calendar().await.unwrap();
        let y = cal.year(2033).unwrap();
        assert_eq!(y.holidays.len(), 4);
        assert!(y.holidays.contains(&"2033-06-07".parse().unwrap()));
        let (status, _, html) = form(
            admin,
            "/admin/calendar/2033",
            &[("holidays", "2033-01-01"), ("workdays", "2033-06-07")],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("不是周末"), "{html}");
        // What was typed is kept.
        assert!(html.contains("2033-06-07"), "{html}");
        app.stop().await;
    }
}
