//! What is due: every open matter whose limits can be computed shows its
//! next limit (date, step, days left or late) and its completion limit on
//! the board, the board's CSV and the matter page, never "—"; and the
//! board's light filter lists exactly the matters showing that light.

use crate::helpers::{json, TestApp};
use crate::matters::{now, stored_matter, World};
use chrono::Duration;
use duban_domain::matter::MatterType;
use duban_domain::workflow::Action;
use duban_store::testing::fresh_databases;
use std::collections::BTreeSet;

#[tokio::test]
async fn the_board_and_the_matter_say_what_is_due_and_lights_agree() {
    for url in fresh_databases("api_next_limit").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let s = &app.store;
        let at = |days: i64| now() - Duration::days(days);
        // Assigned 30 days ago and never signed for: red, a month late.
        let red = stored_matter(
            s,
            "逾期未签收事项",
            MatterType::ordinary(),
            vec![w.a],
            vec![w.b],
            None,
            at(30),
        )
        .await;
        // Assigned today: signing for is due today (yellow).
        let fresh = stored_matter(
            s,
            "今日交办事项",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            at(0),
        )
        .await;
        // A major matter signed for and reported: the month's term ahead.
        let major = stored_matter(
            s,
            "重大事项",
            MatterType::major(),
            vec![w.b],
            vec![],
            None,
            at(2),
        )
        .await;
        let cal = s.calendar().await.unwrap();
        let t = &major.tracks[0];
        let t = s
            .act(
                Some(w.ids["liaison_b"]),
                t.track.id,
                t.version,
                &Action::SignFor,
                at(2),
                &cal,
            )
            .await
            .unwrap();
        s.act(
            Some(w.ids["liaison_b"]),
            t.track.id,
            t.version,
            &Action::Report {
                text: "已部署".into(),
            },
            at(1),
            &cal,
        )
        .await
        .unwrap();
        // A continuing matter: its next reporting node.
        let cont = stored_matter(
            s,
            "持续推进事项",
            MatterType::continuing(),
            vec![w.a],
            vec![],
            None,
            at(1),
        )
        .await;

        let office = w.s("office");
        let (_, board) = json(office.get("/api/v1/matters?limit=100").await).await;
        let rows = board["matters"].as_array().unwrap();
        let row = |id: i64| rows.iter().find(|m| m["id"] == id).unwrap().clone();
        for m in [&red, &fresh, &major, &cont] {
            let r = row(m.matter.id);
            assert!(r["next"]["date"].is_string(), "next limit of {r}");
            assert!(r["next"]["label"].is_string(), "{r}");
            assert!(r["next"]["text"].is_string(), "{r}");
            assert_ne!(r["completion"]["text"], "—", "{r}");
        }
        let r = row(red.matter.id);
        assert_eq!(r["light"], "red");
        assert_eq!(r["next"]["limit"], "deploy");
        assert!(r["next"]["days"].as_i64().unwrap() < 0, "{r}");
        assert!(
            r["next"]["text"].as_str().unwrap().starts_with("逾期"),
            "{r}"
        );
        let r = row(fresh.matter.id);
        assert_eq!(r["next"]["date"], now().date().to_string());
        assert_eq!(r["next"]["days"], 0);
        assert_eq!(r["next"]["text"], "今日到期");
        let r = row(major.matter.id);
        assert_eq!(r["next"]["limit"], "resolve");
        assert!(r["next"]["text"].as_str().unwrap().starts_with('剩'), "{r}");
        assert_eq!(r["completion"]["date"], r["next"]["date"]);
        let r = row(cont.matter.id);
        assert_eq!(r["completion"]["text"], "持续推进");

        // The board page and its CSV show the same, never "—" for these.
        let page = office.get("/board").await.text().await.unwrap();
        let red_next = row(red.matter.id)["next"]["text"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(page.contains(&red_next), "{red_next} on the board");
        let csv = office.get("/board.csv").await.text().await.unwrap();
        assert!(csv.contains("下一时限,下一环节,剩余或逾期"), "{csv}");
        for line in csv.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            assert_ne!(cells[6], "—", "完成时限 of {line}");
            assert_ne!(cells[7], "—", "下一时限 of {line}");
        }
        // The matter page names its next node.
        let page = office
            .get(&format!("/matters/{}", red.matter.id))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("签收部署 <span class=\"overdue\">逾期"),
            "{page}"
        );

        // The light filter lists exactly the matters showing that light,
        // for the office and for a unit's narrower view.
        for who in ["office", "liaison_a", "leader_b"] {
            let sess = w.s(who);
            let (_, all) = json(sess.get("/api/v1/matters?limit=100").await).await;
            let mut seen = BTreeSet::new();
            for light in ["red", "yellow", "green", "done", "unknown"] {
                let (_, b) = json(
                    sess.get(&format!("/api/v1/matters?limit=100&light={light}"))
                        .await,
                )
                .await;
                for m in b["matters"].as_array().unwrap() {
                    assert_eq!(m["light"], light, "{who} filtered {light}: {m}");
                    seen.insert(m["id"].as_i64().unwrap());
                }
            }
            assert_eq!(seen.len() as i64, all["total"].as_i64().unwrap(), "{who}");
        }
        app.stop().await;
    }
}
