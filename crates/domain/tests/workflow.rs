//! Data-driven tests for the track state machine (`data/workflow.txt`) and
//! the matter closure rule (`data/workflow_matters.txt`), plus checks that
//! `allowed` and `Action::actor` agree with `apply`.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use duban_domain::matter::{Grade, MatterStatus, Role};
use duban_domain::workflow::{
    allowed, apply, matter_closed, matter_status, Action, ActionKind, Actor, Track, TrackState,
    TransitionError, TransitionErrorKind,
};

const CASES: &str = include_str!("data/workflow.txt");
const MATTERS: &str = include_str!("data/workflow_matters.txt");

fn time(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .unwrap_or_else(|e| panic!("bad time {s:?}: {e}"))
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("bad date {s:?}: {e}"))
}

fn assigned() -> Track {
    Track::new(1, 10, 100, Role::Lead, time("2024-09-27T09:00"))
}

/// A text argument: `""` is empty, absent is a default.
fn text(arg: Option<&str>, default: &str) -> String {
    match arg {
        Some("\"\"") => String::new(),
        Some(t) => t.to_string(),
        None => default.to_string(),
    }
}

/// Reads one action word of the data file.
fn action(word: &str) -> Action {
    let mut parts = word.splitn(3, ':');
    let name = parts.next().unwrap();
    let a1 = parts.next();
    let a2 = parts.next();
    match name {
        "sign" => Action::SignFor,
        "report" => Action::Report {
            text: text(a1, "已召开专题会议研究部署"),
        },
        "apply" => Action::ApplyToClose {
            text: text(a1, "已按期完成"),
        },
        "return" => Action::Return {
            reason: text(a1, "佐证材料不全"),
        },
        "close" => Action::Close {
            grade: a1.expect("close needs a grade").parse::<Grade>().unwrap(),
            reason: text(a2, "按期高质量完成"),
        },
        "extend" => Action::RequestExtension {
            until: date(a1.expect("extend needs a date")),
            plan: text(a2, "十月底前完成招标，十一月底前完工"),
        },
        "grant" => Action::GrantExtension,
        "refuse" => Action::RefuseExtension {
            reason: text(a1, "理由不充分"),
        },
        "withdraw" => Action::Withdraw,
        other => panic!("unknown action {other}"),
    }
}

/// Applies the actions of a case: the track after the last, or the first
/// refusal with the index of the action refused.
fn run(actions: &str) -> (Track, Option<(usize, TransitionError)>) {
    let mut track = assigned();
    let mut now = track.assigned_at;
    if actions == "-" {
        return (track, None);
    }
    for (i, word) in actions.split_whitespace().enumerate() {
        let (word, when) = match word.rsplit_once('@') {
            Some((w, t)) => (w, time(t)),
            None => (word, now + Duration::hours(1)),
        };
        now = when;
        match apply(&track, &action(word), when) {
            Ok(next) => track = next,
            Err(e) => return (track, Some((i, e))),
        }
    }
    (track, None)
}

fn state_name(s: TrackState) -> String {
    match s {
        TrackState::Assigned => "assigned".into(),
        TrackState::SignedFor => "signed_for".into(),
        TrackState::CloseRequested => "close_requested".into(),
        TrackState::Returned => "returned".into(),
        TrackState::Closed { grade } => format!("closed:{}", grade.label()),
        TrackState::Withdrawn => "withdrawn".into(),
    }
}

fn kind_name(k: TransitionErrorKind) -> String {
    // Debug of a unit variant in CamelCase, to snake_case.
    let mut out = String::new();
    for (i, c) in format!("{k:?}").chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn show_time(t: Option<NaiveDateTime>) -> String {
    t.map_or("none".into(), |t| t.format("%Y-%m-%dT%H:%M").to_string())
}

fn field(track: &Track, key: &str) -> String {
    match key {
        "reports" => track.reports().to_string(),
        "returns" => track.returns.to_string(),
        "granted" => track.extensions_granted.to_string(),
        "refused" => track.extensions_refused.to_string(),
        "extended" => track
            .extended_until
            .map_or("none".into(), |d| d.to_string()),
        "pending" => track
            .pending_extension
            .as_ref()
            .map_or("none".into(), |p| p.until.to_string()),
        "signed_at" => show_time(track.signed_at),
        "last_report_at" => show_time(track.last_report_at()),
        "close_requested_at" => show_time(track.close_requested_at),
        "closed_at" => show_time(track.closed_at),
        "returned_at" => show_time(track.returned_at),
        other => panic!("unknown key {other}"),
    }
}

/// The cases of a data file: (line, input, expected).
fn cases(text: &str) -> Vec<(usize, &str, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim().starts_with('#'))
        .map(|(n, l)| {
            let (i, e) = l
                .split_once('⇒')
                .unwrap_or_else(|| panic!("line {}: no ⇒", n + 1));
            (n + 1, i.trim(), e.trim())
        })
        .collect()
}

#[test]
fn workflow_cases() {
    let cases = cases(CASES);
    let mut failures = Vec::new();
    let mut refusals = 0;
    for &(line, input, expected) in &cases {
        let (track, refused) = run(input);
        let mut problems = Vec::new();
        let mut words = expected.split_whitespace();
        let head = words.next().expect("an expected state");
        if head == "✗" {
            refusals += 1;
            let kind = words.next().expect("an error kind");
            let last = input.split_whitespace().count() - 1;
            match &refused {
                None => problems.push(format!("passed, ended {}", state_name(track.state))),
                Some((i, e)) => {
                    if *i != last {
                        problems.push(format!("action {} refused, not the last: {}", i + 1, e));
                    }
                    if kind_name(e.kind) != kind {
                        problems.push(format!("kind {} ({})", kind_name(e.kind), e.message));
                    }
                    for w in words {
                        if !e.message.contains(w) {
                            problems.push(format!("message lacks {w:?}: {}", e.message));
                        }
                    }
                    if e.to_string() != e.message {
                        problems.push("Display differs from the message".into());
                    }
                }
            }
        } else {
            if let Some((i, e)) = &refused {
                problems.push(format!(
                    "action {} refused: {:?} {}",
                    i + 1,
                    e.kind,
                    e.message
                ));
            }
            if state_name(track.state) != head {
                problems.push(format!("state {}", state_name(track.state)));
            }
            for w in words {
                let (k, v) = w
                    .split_once('=')
                    .unwrap_or_else(|| panic!("line {line}: {w}"));
                let got = field(&track, k);
                if got != v {
                    problems.push(format!("{k}={got}"));
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "line {line}: {input}\n    expected {expected}\n    got      {}",
                problems.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} workflow cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(cases.len() >= 30, "only {} workflow cases", cases.len());
    assert!(refusals >= 20, "only {refusals} refusals");
}

/// A track in the state named as in `workflow_matters.txt`.
fn track_in(role: Role, state: &str) -> Track {
    let actions = match state {
        "assigned" => "-",
        "signed" => "sign",
        "requested" => "sign apply",
        "returned" => "sign apply return",
        "closed" => "sign apply close:良好",
        "failed" => "sign apply close:不合格:未完成",
        "withdrawn" => "sign withdraw",
        other => panic!("unknown state {other}"),
    };
    let (mut track, refused) = run(actions);
    assert!(refused.is_none(), "{actions}");
    track.role = role;
    track
}

#[test]
fn matter_closure_cases() {
    let cases = cases(MATTERS);
    let mut failures = Vec::new();
    for &(line, input, expected) in &cases {
        let tracks: Vec<Track> = if input == "-" {
            Vec::new()
        } else {
            input
                .split_whitespace()
                .map(|w| {
                    let (role, state) = w.split_once(':').expect("ROLE:STATE");
                    let role = match role {
                        "lead" => Role::Lead,
                        "co" => Role::Co,
                        other => panic!("line {line}: unknown role {other}"),
                    };
                    track_in(role, state)
                })
                .collect()
        };
        let status = match matter_status(&tracks) {
            MatterStatus::Open => "open",
            MatterStatus::Closed => "closed",
            MatterStatus::Withdrawn => "withdrawn",
        };
        if status != expected || matter_closed(&tracks) != (expected == "closed") {
            failures.push(format!(
                "line {line}: {input} ⇒ expected {expected}, got {status}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases.len() >= 15);
}

/// A valid instance of each kind of action, dated so that dates pass.
fn sample(kind: ActionKind) -> Action {
    match kind {
        ActionKind::SignFor => Action::SignFor,
        ActionKind::Report => action("report"),
        ActionKind::ApplyToClose => action("apply"),
        ActionKind::Return => action("return"),
        ActionKind::Close => action("close:合格"),
        ActionKind::RequestExtension => action("extend:2025-06-30"),
        ActionKind::GrantExtension => Action::GrantExtension,
        ActionKind::RefuseExtension => action("refuse"),
        ActionKind::Withdraw => Action::Withdraw,
    }
}

/// `allowed` lists exactly the kinds `apply` accepts, in every state, with
/// and without an extension request waiting.
#[test]
fn allowed_agrees_with_apply() {
    let roads = [
        "-",
        "sign",
        "sign extend:2024-11-30",
        "sign report",
        "sign apply",
        "sign extend:2024-11-30 apply",
        "sign apply return",
        "sign apply return extend:2024-11-30",
        "sign apply close:良好",
        "sign withdraw",
        "withdraw",
    ];
    for road in roads {
        let (track, refused) = run(road);
        assert!(refused.is_none(), "{road}");
        let when = track.updated_at + Duration::hours(1);
        let accepted: Vec<ActionKind> = ActionKind::ALL
            .into_iter()
            .filter(|k| apply(&track, &sample(*k), when).is_ok())
            .collect();
        assert_eq!(allowed(&track), accepted, "{road}");
    }
}

#[test]
fn actors() {
    let unit = ["sign", "report", "apply", "extend:2024-11-30"];
    let office = ["return", "close:优秀", "grant", "refuse", "withdraw"];
    for w in unit {
        assert_eq!(action(w).actor(), Actor::Unit, "{w}");
    }
    for w in office {
        assert_eq!(action(w).actor(), Actor::Office, "{w}");
    }
    assert_eq!(ActionKind::ALL.len(), unit.len() + office.len());
}

/// `apply` leaves its input alone and stamps the time of the change.
#[test]
fn apply_is_pure() {
    let track = assigned();
    let before = track.clone();
    let at = time("2024-09-27T15:00");
    let next = apply(&track, &Action::SignFor, at).unwrap();
    assert_eq!(track, before);
    assert_eq!(next.updated_at, at);
    assert_eq!(next.state, TrackState::SignedFor);
    // A refusal changes nothing either.
    assert!(apply(&track, &action("close:优秀"), at).is_err());
    assert_eq!(track, before);
}

#[test]
fn tracks_and_actions_serialise_in_snake_case() {
    let (track, _) = run("sign apply close:良好");
    let j = serde_json::to_value(&track).unwrap();
    assert_eq!(j["state"], serde_json::json!({"closed": {"grade": "good"}}));
    assert_eq!(j["role"], "lead");
    let back: Track = serde_json::from_value(j).unwrap();
    assert_eq!(back, track);
    let a = action("extend:2024-11-30:先完成设计");
    let j = serde_json::to_string(&a).unwrap();
    assert_eq!(
        j,
        r#"{"action":"request_extension","until":"2024-11-30","plan":"先完成设计"}"#
    );
    assert_eq!(serde_json::from_str::<Action>(&j).unwrap(), a);
}
