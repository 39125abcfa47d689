//! The demo: a district's supervision office as of today, built from the
//! sample gazettes — the district's own units and leaders (from its
//! division-of-work document), the gazettes ingested, the task breakdown
//! confirmed into matters, and matters in every state. The registry is
//! built by [`crate::district`]: one unit per body, groups as groups.

use crate::ingest::{confirm, ingest, Confirm};
use chrono::{Duration, NaiveDateTime};
use duban_domain::calendar::Calendar;
use duban_domain::matter::Grade;
use duban_domain::org::{self, Level, Role, UnitKind};
use duban_domain::workflow::Action;
use duban_store::{Error, NewUnit, NewUser, ProposalState, Store};
use std::collections::BTreeMap;

/// The password of every demo login.
pub const PASSWORD: &str = "duban2026";

/// A demo login to print.
#[derive(Debug, Clone)]
pub struct Login {
    pub login: String,
    pub name: String,
    pub role: &'static str,
}

/// What the demo created.
#[derive(Debug, Clone, Default)]
pub struct Seeded {
    pub units: usize,
    pub matters: usize,
    pub logins: Vec<Login>,
}

/// A gazette to ingest: its file name and bytes.
pub struct Gazette<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// Seeds an empty database. `hash` hashes a password (argon2id in the
/// server); `now` is local time.
pub async fn seed(
    store: &Store,
    gazettes: &[Gazette<'_>],
    hash: impl Fn(&str) -> String,
    now: NaiveDateTime,
    cal: &Calendar,
) -> Result<Seeded, Error> {
    let mut out = Seeded::default();
    let pw = hash(PASSWORD);
    let user = |login: &str, name: &str, role: Role, unit: Option<i64>| NewUser {
        login: login.into(),
        name: name.into(),
        role,
        unit_id: unit,
        email: Some(format!("{login}@duban.local")),
        password_hash: pw.clone(),
    };
    let admin = store
        .create_user(None, user("admin", "系统管理员", Role::Admin, None))
        .await?;
    let office = store
        .create_user(
            Some(admin.id),
            user("ducha", "区政府督查室", Role::Office, None),
        )
        .await?;
    out.logins.push(Login {
        login: "admin".into(),
        name: admin.name.clone(),
        role: "系统管理员",
    });
    out.logins.push(Login {
        login: "ducha".into(),
        name: office.name.clone(),
        role: "督查室",
    });
    // 三员分立: the security and audit admins are other people.
    for (login, name, role) in [
        ("anquan", "安全管理员", Role::Security),
        ("shenji", "审计管理员", Role::Auditor),
    ] {
        let u = store
            .create_user(Some(admin.id), user(login, name, role, None))
            .await?;
        out.logins.push(Login {
            login: login.into(),
            name: u.name,
            role: role.label(),
        });
    }

    // The district is the one whose gazette carries its leaders' division
    // of work; its units are every owner its documents name, as printed.
    let mut names: Vec<String> = Vec::new();
    let mut leaders = Vec::new();
    for g in gazettes {
        let Ok(d) = duban_reader::decode(g.bytes) else {
            continue;
        };
        let division = duban_reader::division::division_of_work(&d.text);
        if division.is_empty() {
            continue;
        }
        leaders.extend(division);
        for doc in duban_reader::extract(&d.text).documents {
            for t in doc
                .tasks
                .iter()
                .filter(|t| t.owner_scope != duban_reader::OwnerScope::Prose)
            {
                for n in t.lead_units.iter().chain(&t.co_units) {
                    if !names.contains(n) {
                        names.push(n.clone());
                    }
                }
            }
        }
    }
    let gov = store
        .create_unit(
            Some(admin.id),
            NewUnit {
                name: "运城市盐湖区人民政府".into(),
                aliases: vec!["区政府".into()],
                parent: None,
                level: Level::County,
                kind: UnitKind::Government,
            },
        )
        .await?;
    crate::district::store(store, Some(admin.id), gov.id, &names).await?;
    // Leaders and what they oversee, from the division-of-work document:
    // a full name the tasks abbreviate becomes an alias.
    for (i, l) in leaders.iter().enumerate() {
        let login = format!("leader{}", i + 1);
        let u = store
            .create_user(
                Some(admin.id),
                user(
                    &login,
                    &format!("{}（{}）", l.name, l.title),
                    Role::Leader,
                    None,
                ),
            )
            .await?;
        // The district's head and executive deputy see the whole district.
        let principal = org::principal_title(&l.title);
        if principal {
            store.set_principal(Some(admin.id), u.id, true).await?;
        }
        out.logins.push(Login {
            login,
            name: u.name.clone(),
            role: if principal {
                "主要领导"
            } else {
                "分管领导"
            },
        });
        let mut oversee = Vec::new();
        for name in &l.oversees {
            let units = store.units().await?;
            let id = match crate::district::oversight_match(&units, name) {
                Some((id, false)) => id,
                Some((id, true)) => {
                    let unit = store.unit(id).await?;
                    let mut aliases = unit.aliases.clone();
                    aliases.push(name.clone());
                    store.set_unit_aliases(Some(admin.id), id, &aliases).await?;
                    id
                }
                None => {
                    store
                        .create_unit(
                            Some(admin.id),
                            NewUnit {
                                name: name.clone(),
                                aliases: vec![],
                                parent: Some(gov.id),
                                level: Level::County,
                                kind: crate::district::kind_of(name),
                            },
                        )
                        .await?
                        .id
                }
            };
            if !oversee.contains(&id) {
                oversee.push(id);
            }
        }
        store
            .set_leader_units(Some(admin.id), u.id, &oversee)
            .await?;
    }
    // A liaison for every unit, and an enterprise.
    let units = store.units().await?;
    let mut liaison: BTreeMap<i64, i64> = BTreeMap::new();
    for u in &units {
        let login = format!("unit{}", u.id);
        let created = store
            .create_user(
                Some(admin.id),
                user(
                    &login,
                    &format!("{}联络员", u.name),
                    Role::Liaison,
                    Some(u.id),
                ),
            )
            .await?;
        liaison.insert(u.id, created.id);
    }
    for u in units
        .iter()
        .filter(|u| ["区发改局", "区工科局", "区住建局"].contains(&u.name.as_str()))
    {
        out.logins.push(Login {
            login: format!("unit{}", u.id),
            name: format!("{}联络员", u.name),
            role: "单位联络员",
        });
    }
    store
        .create_user(
            Some(admin.id),
            user("qiye", "运城市某某科技有限公司", Role::Public, None),
        )
        .await?;
    out.logins.push(Login {
        login: "qiye".into(),
        name: "运城市某某科技有限公司".into(),
        role: "企业",
    });
    out.units = units.len();

    // The gazettes, and the district's task breakdown confirmed into matters
    // assigned over the last five weeks.
    for g in gazettes {
        ingest(store, Some(office.id), g.name, g.bytes, false).await?;
    }
    let mut confirmed = Vec::new();
    for s in store.sources().await? {
        for d in store.documents_of(s.id).await? {
            if !d.title.as_deref().is_some_and(|t| t.contains("任务分解")) {
                continue;
            }
            for (k, p) in store.proposals_of(d.id).await?.into_iter().enumerate() {
                if p.state != ProposalState::Pending
                    || p.task
                        .lead
                        .iter()
                        .chain(&p.task.co)
                        .any(|u| u.unit.is_none())
                {
                    continue;
                }
                let assigned = now - Duration::days((k % 36) as i64) - Duration::hours(2);
                let ty = if k % 5 == 0 { "重大" } else { "普通" };
                let c = Confirm {
                    version: p.version,
                    matter_type: Some(ty.into()),
                    ..Confirm::default()
                };
                let (_, matter) = confirm(store, Some(office.id), p.id, c, assigned, cal).await?;
                confirmed.push((matter, assigned));
            }
        }
    }
    out.matters = confirmed.len();

    // Move the matters along: a spread of every state.
    for (k, (matter, assigned)) in confirmed.iter().enumerate() {
        let m = store.matter(*matter).await?;
        for t in &m.tracks {
            let who = liaison.get(&t.track.unit_id).copied();
            let step = (k + t.track.unit_id as usize) % 10;
            let mut v = t.version;
            let mut at = *assigned + Duration::hours(3);
            let act = |a: Action, by: Option<i64>, at: NaiveDateTime, v: i64| {
                let store = store.clone();
                async move { store.act(by, t.track.id, v, &a, at, cal).await }
            };
            if step == 0 || at > now {
                continue; // still to be signed for
            }
            v = act(Action::SignFor, who, at, v).await?.version;
            at += Duration::days(2);
            if step <= 2 || at > now {
                continue;
            }
            v = act(
                Action::Report {
                    text: "已制定工作方案，明确责任人和时间节点，正在推进。".into(),
                },
                who,
                at,
                v,
            )
            .await?
            .version;
            at += Duration::days(3);
            if step <= 4 || at > now {
                continue;
            }
            if step == 5 {
                let until = (at + Duration::days(30)).date();
                act(
                    Action::RequestExtension {
                        until,
                        plan: "受审批进度影响，申请延期一个月；已列出时间表和路线图。".into(),
                    },
                    who,
                    at,
                    v,
                )
                .await?;
                continue;
            }
            v = act(
                Action::ApplyToClose {
                    text: "已按要求完成，附相关材料。".into(),
                },
                who,
                at,
                v,
            )
            .await?
            .version;
            at += Duration::days(1);
            if step == 6 || at > now {
                continue;
            }
            if step == 7 {
                act(
                    Action::Return {
                        reason: "佐证材料不全，请补充后重新申请办结。".into(),
                    },
                    Some(office.id),
                    at,
                    v,
                )
                .await?;
                continue;
            }
            let grade = [Grade::Excellent, Grade::Good, Grade::Pass][step % 3];
            act(
                Action::Close {
                    grade,
                    reason: "经审核，按期完成，予以销号。".into(),
                },
                Some(office.id),
                at,
                v,
            )
            .await?;
        }
    }
    Ok(out)
}
