//! Keyset paging of the board and the counts kept by trigger, on every
//! backend: paging by cursor lists each matter exactly once, in the order
//! of the sort, whatever the filter and the units in view, and the kept
//! counts agree with counting the matters.

mod common;

use chrono::{Duration, NaiveDate};
use common::{at, unit};
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterStatus, MatterType, Source};
use duban_store::matters::{BoardCursor, BoardQuery, BoardSort};
use duban_store::testing::fresh_stores;
use duban_store::NewMatter;

/// The sort key a row is ordered by, for checking the order itself.
fn deadline_of(store_row: &duban_store::MatterRecord) -> Option<NaiveDate> {
    store_row.matter.deadline
}

/// A filter set on a query, by name.
type Filter = Box<dyn Fn(&mut BoardQuery)>;

const SORTS: [BoardSort; 5] = [
    BoardSort::Newest,
    BoardSort::Oldest,
    BoardSort::Deadline,
    BoardSort::DeadlineDesc,
    BoardSort::Due,
];

#[tokio::test]
async fn paging_by_cursor_lists_every_matter_once_in_order() {
    let cal = Calendar::official();
    let now = at("2024-10-08 09:00");
    let today = now.date();
    for store in fresh_stores("keyset_paging").await.expect("stores") {
        let a = unit(&store, "甲局").await;
        let b = unit(&store, "乙局").await;
        let c = unit(&store, "丙局").await;
        let n = 83;
        let mut withdrawn = 0;
        for i in 0..n {
            // Deadlines repeat (ties broken by id) and a third have none.
            let deadline = (i % 3 != 0).then(|| today + Duration::days(10 + (i % 7) * 5));
            let (lead, co) = match i % 4 {
                0 => (vec![a], vec![]),
                1 => (vec![b], vec![c]),
                2 => (vec![c], vec![]),
                _ => (vec![a, b], vec![]),
            };
            let ty = if i % 5 == 0 {
                MatterType::major()
            } else {
                MatterType::ordinary()
            };
            let m = store
                .create_matter(
                    None,
                    NewMatter {
                        title: format!("第{i}项 推进事项"),
                        detail: String::new(),
                        matter_type: ty,
                        source: Source::Meeting {
                            name: "常务会议".into(),
                            date: None,
                        },
                        deadline,
                        targets: serde_json::json!([]),
                        lead,
                        co,
                        raised_by: None,
                    },
                    now - Duration::days(i % 9),
                    &cal,
                )
                .await
                .unwrap();
            if i % 11 == 5 {
                store
                    .withdraw_matter(None, m.matter.id, None, "重复立项", now)
                    .await
                    .unwrap();
                withdrawn += 1;
            }
        }

        // The kept counts agree with the matters.
        assert_eq!(store.matter_total(None).await.unwrap(), n);
        assert_eq!(
            store
                .matter_total(Some(MatterStatus::Withdrawn))
                .await
                .unwrap(),
            withdrawn
        );
        assert_eq!(
            store.matter_total(Some(MatterStatus::Open)).await.unwrap(),
            n - withdrawn
        );

        let filters: Vec<(&str, Filter)> = vec![
            ("all", Box::new(|_| {})),
            (
                "open",
                Box::new(|q: &mut BoardQuery| q.status = Some(MatterStatus::Open)),
            ),
            (
                "unit b",
                Box::new(move |q: &mut BoardQuery| q.units = Some(vec![b])),
            ),
            (
                "units a, c, text",
                Box::new(move |q: &mut BoardQuery| {
                    q.units = Some(vec![a, c]);
                    q.text = Some("推进".into());
                }),
            ),
        ];
        for sort in SORTS {
            for (name, set) in &filters {
                let mut whole = BoardQuery::all(today, sort, 200);
                set(&mut whole);
                let whole = store.board(&whole).await.unwrap();
                assert!(whole.next.is_none(), "{sort:?} {name}: one page holds all");
                let expected: Vec<i64> = whole.matters.iter().map(|m| m.matter.id).collect();
                assert_eq!(expected.len() as i64, whole.total, "{sort:?} {name}");
                assert!(!expected.is_empty(), "{sort:?} {name}");
                // The order is the sort's.
                for w in whole.matters.windows(2) {
                    let (x, y) = (&w[0], &w[1]);
                    let ok = match sort {
                        BoardSort::Newest => x.matter.id > y.matter.id,
                        BoardSort::Oldest => x.matter.id < y.matter.id,
                        BoardSort::Deadline => match (deadline_of(x), deadline_of(y)) {
                            (Some(p), Some(q)) => p < q || (p == q && x.matter.id < y.matter.id),
                            (Some(_), None) => true,
                            (None, Some(_)) => false,
                            (None, None) => x.matter.id < y.matter.id,
                        },
                        BoardSort::DeadlineDesc => match (deadline_of(x), deadline_of(y)) {
                            (Some(p), Some(q)) => p > q || (p == q && x.matter.id > y.matter.id),
                            (Some(_), None) => true,
                            (None, Some(_)) => false,
                            (None, None) => x.matter.id > y.matter.id,
                        },
                        BoardSort::Due => true,
                    };
                    assert!(
                        ok,
                        "{sort:?} {name}: {} before {}",
                        x.matter.id, y.matter.id
                    );
                }

                // Page by cursor, 7 at a time, through the text form the
                // API hands out.
                let mut got = Vec::new();
                let mut after: Option<BoardCursor> = None;
                let mut pages = 0;
                loop {
                    let mut q = BoardQuery::all(today, sort, 7);
                    set(&mut q);
                    q.after = after.clone();
                    let page = store.board(&q).await.unwrap();
                    assert_eq!(
                        page.total, whole.total,
                        "{sort:?} {name}: total on every page"
                    );
                    assert!(page.matters.len() <= 7);
                    got.extend(page.matters.iter().map(|m| m.matter.id));
                    pages += 1;
                    match page.next {
                        Some(next) => {
                            assert_eq!(
                                page.matters.len(),
                                7,
                                "{sort:?} {name}: a full page before more"
                            );
                            let text = next.to_string();
                            assert_eq!(BoardCursor::parse(&text, sort).unwrap(), next);
                            after = Some(BoardCursor::parse(&text, sort).unwrap());
                        }
                        None => break,
                    }
                    assert!(pages < 100, "{sort:?} {name}: paging does not end");
                }
                assert_eq!(
                    got, expected,
                    "{sort:?} {name}: every matter once, in order"
                );
            }
        }
    }
}

#[test]
fn a_cursor_of_another_sort_or_garbled_is_refused() {
    let due = BoardCursor {
        sort: BoardSort::Due,
        key: NaiveDate::from_ymd_opt(2024, 12, 1),
        id: 42,
    };
    assert_eq!(due.to_string(), "due.2024-12-01.42");
    assert_eq!(
        BoardCursor::parse("due.2024-12-01.42", BoardSort::Due).unwrap(),
        due
    );
    let none = BoardCursor::parse("deadline.none.7", BoardSort::Deadline).unwrap();
    assert_eq!(none.key, None);
    assert_eq!(none.id, 7);
    assert_eq!(
        BoardCursor::parse("1234", BoardSort::Newest).unwrap().id,
        1234
    );
    for (text, sort) in [
        ("due.2024-12-01.42", BoardSort::Deadline),
        ("1234", BoardSort::Due),
        ("due.2024-13-01.42", BoardSort::Due),
        ("due.2024-12-01.x", BoardSort::Due),
        ("-5", BoardSort::Newest),
        ("abc", BoardSort::Oldest),
        ("", BoardSort::Newest),
    ] {
        let e = BoardCursor::parse(text, sort).unwrap_err();
        assert!(e.contains("after") && e.contains("next"), "{text}: {e}");
    }
}
