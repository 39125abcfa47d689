//! Administration through HTTP: creating users (and the ways it is
//! refused), reading and replacing a year of the calendar, and the
//! leaders' division of work, previewed and applied.

use crate::helpers::{json, TestApp, PASSWORD};
use chrono::NaiveDate;
use duban_domain::org::Role;
use duban_store::testing::fresh_databases;
use duban_store::NewUser;
use duban_web::auth::hash_password;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn admins_create_users_who_can_log_in() {
    for url in fresh_databases("api_admin_users").await {
        let app = TestApp::spawn(&url).await;
        let unit = app.unit("区财政局").await;
        app.user("office", Role::Office, None).await;
        let admin = app.login("admin").await;

        let new_user = |login: &str, password: &str| {
            json!({
                "login": login,
                "name": "张三",
                "role": "liaison",
                "unit_id": unit,
                "email": "zhangsan@example.org",
                "password": password,
            })
        };
        let (status, body) = json(
            admin
                .post("/api/v1/users", &new_user("zhangsan", PASSWORD))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = body["user"]["id"].as_i64().unwrap();
        assert_eq!(body["user"]["role"], "liaison");
        assert!(body["user"].get("password_hash").is_none(), "{body}");

        let s = app.login("zhangsan").await;
        assert_eq!(s.user_id, id);

        // Too short a password, a login in use, a role without its unit.
        let (status, body) = json(
            admin
                .post("/api/v1/users", &new_user("lisi", "1234567"))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body["error"].as_str().unwrap().contains("太短"), "{body}");
        let (status, body) = json(
            admin
                .post("/api/v1/users", &new_user("zhangsan", PASSWORD))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("已被使用"),
            "{body}"
        );
        let mut no_unit = new_user("wangwu", PASSWORD);
        no_unit["unit_id"] = Value::Null;
        let (status, body) = json(admin.post("/api/v1/users", &no_unit).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("单位"), "{body}");
        let mut bad_role = new_user("wangwu", PASSWORD);
        bad_role["role"] = json!("mayor");
        let (status, _) = json(admin.post("/api/v1/users", &bad_role).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // The office lists users with their units; a unit user may not.
        let office = app.login("office").await;
        let (status, body) = json(office.get("/api/v1/users").await).await;
        assert_eq!(status, StatusCode::OK);
        let users = body["users"].as_array().unwrap();
        assert_eq!(users.len(), 3, "{body}");
        let z = users.iter().find(|u| u["id"] == id).unwrap();
        assert_eq!(z["unit_id"], unit);
        assert_eq!(z["unit_name"], "区财政局");
        assert_eq!(z["role_label"], "联络员");
        let (status, _) = json(
            office
                .post("/api/v1/users", &new_user("wangwu", PASSWORD))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = json(s.get("/api/v1/users").await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        app.stop().await;
    }
}

#[tokio::test]
async fn admins_replace_a_year_of_the_calendar() {
    for url in fresh_databases("api_admin_calendar").await {
        let app = TestApp::spawn(&url).await;
        let unit = app.unit("区财政局").await;
        app.user("liaison", Role::Liaison, Some(unit)).await;
        let liaison = app.login("liaison").await;
        let admin = app.login("admin").await;

        let (status, body) = json(liaison.get("/api/v1/calendar").await).await;
        assert_eq!(status, StatusCode::OK);
        let years = body["years"].as_array().unwrap();
        let y2024 = years.iter().find(|y| y["year"] == 2024).unwrap();
        assert!(
            y2024["source"].as_str().unwrap().contains("2024"),
            "{y2024}"
        );
        assert!(y2024["holidays"].as_u64().unwrap() > 0);
        assert_eq!(y2024["provenance"], "official");
        // 2027 has no official data: it is listed as provisional (暂定).
        let y2027 = years.iter().find(|y| y["year"] == 2027).unwrap();
        assert_eq!(y2027["provenance"], "provisional", "{body}");
        assert_eq!(y2027["provenance_label"], "暂定");
        assert_eq!(y2027["entered"], false);

        // 2027-02-06 is a Saturday made a working day.
        let year = json!({
            "source": "测试用放假安排",
            "holidays": ["2027-01-01", "2027-02-08"],
            "workdays": ["2027-02-06"],
        });
        let put = |path: &str, body: &Value| {
            admin
                .client
                .put(format!("{}{path}", admin.base))
                .header("x-csrf-token", &admin.csrf)
                .json(body)
        };
        let (status, body) = json(put("/api/v1/calendar/2027", &year).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, body) = json(liaison.get("/api/v1/calendar").await).await;
        let y2027 = body["years"]
            .as_array()
            .unwrap()
            .iter()
            .find(|y| y["year"] == 2027)
            .cloned()
            .unwrap();
        for (k, v) in [
            ("provenance", json!("official")),
            ("entered", json!(true)),
            ("source", json!("测试用放假安排")),
            ("holidays", json!(2)),
            ("workdays", json!(1)),
        ] {
            assert_eq!(y2027[k], v, "{k}: {y2027}");
        }
        let cal = app.store.calendar().await.unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(cal.is_working_day(d("2027-02-06")).unwrap());
        assert!(!cal.is_working_day(d("2027-02-08")).unwrap());

        // A Monday listed as a weekend workday, a date of another year.
        let (status, body) = json(
            put(
                "/api/v1/calendar/2027",
                &json!({ "holidays": [], "workdays": ["2027-02-08"] }),
            )
            .send()
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("不是周末"),
            "{body}"
        );
        let (status, body) = json(
            put(
                "/api/v1/calendar/2027",
                &json!({ "holidays": ["2028-01-03"], "workdays": [] }),
            )
            .send()
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("2028-01-03"),
            "{body}"
        );
        // The refused documents changed nothing.
        let cal = app.store.calendar().await.unwrap();
        assert_eq!(cal.year(2027).unwrap().holidays.len(), 2);

        let (status, _) = json(
            put("/api/v1/calendar/二〇二七", &year)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = json(
            put(
                "/api/v1/calendar/2027",
                &json!({ "holidays": ["2027-13-01"], "workdays": [] }),
            )
            .send()
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = json(
            liaison
                .client
                .put(format!("{}/api/v1/calendar/2027", liaison.base))
                .header("x-csrf-token", &liaison.csrf)
                .json(&year)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        app.stop().await;
    }
}

const DIVISION: &str = "李四（副区长）\n负责教育等方面工作。\n具体分管：区教育局、区卫生健康局。\n完成区长交办的其他工作。\n\
赵六（副区长）\n负责财政等方面工作。\n具体分管：区教育局。\n完成区长交办的其他工作。\n";

#[tokio::test]
async fn the_division_of_work_is_previewed_then_applied() {
    for url in fresh_databases("api_admin_division").await {
        let app = TestApp::spawn(&url).await;
        let education = app.unit("区教育局").await;
        let li = app
            .store
            .create_user(
                None,
                NewUser {
                    login: "lisi".into(),
                    name: "李四".into(),
                    role: Role::Leader,
                    unit_id: None,
                    email: None,
                    password_hash: hash_password(PASSWORD),
                },
            )
            .await
            .unwrap()
            .id;
        let admin = app.login("admin").await;

        let (status, body) = json(
            admin
                .post("/api/v1/division-of-work", &json!({ "text": DIVISION }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["applied"], false);
        let leaders = body["leaders"].as_array().unwrap();
        assert_eq!(leaders.len(), 2, "{body}");
        assert_eq!(leaders[0]["name"], "李四");
        assert_eq!(leaders[0]["title"], "副区长");
        assert_eq!(leaders[0]["user"], li);
        assert_eq!(leaders[0]["units"][0]["name"], "区教育局");
        assert_eq!(leaders[0]["units"][0]["unit"], education);
        assert_eq!(leaders[0]["units"][1]["name"], "区卫生健康局");
        assert_eq!(leaders[0]["units"][1]["unit"], Value::Null);
        assert_eq!(leaders[1]["name"], "赵六");
        assert_eq!(leaders[1]["user"], Value::Null);
        assert_eq!(body["unmatched"]["leaders"][0]["name"], "赵六");
        assert_eq!(
            body["unmatched"]["units"],
            json!([{ "leader": "李四", "name": "区卫生健康局" }])
        );
        assert_eq!(body["set"], json!([]));
        assert!(
            app.store.leader_units(li).await.unwrap().is_empty(),
            "a preview changes nothing"
        );

        let (status, body) = json(
            admin
                .post(
                    "/api/v1/division-of-work",
                    &json!({ "text": DIVISION, "apply": true }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["applied"], true);
        assert_eq!(
            body["set"],
            json!([{ "name": "李四", "user": li, "units_before": [], "units": [education] }])
        );
        assert_eq!(body["unmatched"]["leaders"][0]["name"], "赵六");
        assert_eq!(body["unmatched"]["units"][0]["name"], "区卫生健康局");
        assert_eq!(app.store.leader_units(li).await.unwrap(), vec![education]);

        // Text without leader blocks, and a caller who is not an admin.
        let (status, body) = json(
            admin
                .post(
                    "/api/v1/division-of-work",
                    &json!({ "text": "一、工作任务\n（一）加强领导。\n" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let leader = app.login("lisi").await;
        let (status, _) = json(
            leader
                .post("/api/v1/division-of-work", &json!({ "text": DIVISION }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        app.stop().await;
    }
}
