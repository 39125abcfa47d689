//! The frame every page shares (header, navigation by role, notices) and
//! the small pieces pages are built of: lights, a pager, form fields.

use super::Viewer;
use duban_domain::org::Role;
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// A navigation entry: its path, its label, and who sees it.
struct Nav {
    path: &'static str,
    label: &'static str,
    roles: &'static [Role],
}

const OFFICE: &[Role] = &[Role::Office, Role::Admin];
const UNIT: &[Role] = &[Role::UnitHead, Role::Liaison, Role::Handler];

const NAV: &[Nav] = &[
    Nav {
        path: "/dashboard",
        label: "工作台",
        roles: &[Role::Office, Role::Admin, Role::Leader],
    },
    Nav {
        path: "/owe",
        label: "本单位待办",
        roles: UNIT,
    },
    Nav {
        path: "/leader",
        label: "分管单位",
        roles: &[Role::Leader],
    },
    Nav {
        path: "/board",
        label: "督办事项",
        roles: &[
            Role::Office,
            Role::Admin,
            Role::Leader,
            Role::UnitHead,
            Role::Liaison,
            Role::Handler,
        ],
    },
    Nav {
        path: "/indicators",
        label: "指标",
        roles: &[
            Role::Office,
            Role::Admin,
            Role::Leader,
            Role::UnitHead,
            Role::Liaison,
            Role::Handler,
        ],
    },
    Nav {
        path: "/reports",
        label: "通报考核",
        roles: &[Role::Office, Role::Admin, Role::Leader],
    },
    Nav {
        path: "/review",
        label: "审核",
        roles: OFFICE,
    },
    Nav {
        path: "/documents",
        label: "公文立项",
        roles: OFFICE,
    },
    Nav {
        path: "/imports",
        label: "导入",
        roles: OFFICE,
    },
    Nav {
        path: "/appeals",
        label: "诉求",
        roles: &[Role::Office, Role::Admin, Role::Public],
    },
    Nav {
        path: "/appeals/new",
        label: "提交诉求",
        roles: &[Role::Public],
    },
    Nav {
        path: "/admin",
        label: "设置",
        roles: OFFICE,
    },
    Nav {
        path: "/audit",
        label: "审计日志",
        roles: &[Role::Auditor],
    },
    Nav {
        path: "/security",
        label: "安全管理",
        roles: &[Role::Security],
    },
];

/// A whole page for a signed-in user. `active` is the path of the
/// navigation entry to mark.
pub fn page(viewer: &Viewer, title: &str, active: &str, body: Markup) -> Markup {
    let me = viewer.user();
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            (head(title))
            body {
                header.top {
                    a.brand href="/" { "督办" }
                    nav {
                        @for n in NAV.iter().filter(|n| n.roles.contains(&me.role)) {
                            @if n.path == active {
                                a.active href=(n.path) aria-current="page" { (n.label) }
                            } @else {
                                a href=(n.path) { (n.label) }
                            }
                        }
                    }
                    form.search method="get" action="/search" role="search" {
                        input type="search" name="q" placeholder="搜索公文、事项、单位、文号" aria-label="搜索" maxlength="100";
                        button type="submit" { "搜索" }
                    }
                    div.who {
                        @let inbox = if viewer.unread > 0 { format!("消息（{}条未读）", viewer.unread) } else { "消息".to_string() };
                        a.inbox href="/messages" aria-current=[(active == "/messages").then_some("page")] {
                            "消息"
                            @if viewer.unread > 0 { " " span.badge aria-label=(inbox) { (viewer.unread) } }
                        }
                        span { (me.name) "（" (me.role.label()) "）" }
                        form method="post" action="/logout" {
                            (csrf(viewer))
                            button.link type="submit" { "退出" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page without the navigation: log-in, errors.
pub fn bare(title: &str, message: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            (head(title))
            body {
                header.top { a.brand href="/" { "督办" } }
                main.narrow {
                    h1 { (title) }
                    p.error { (message) }
                    p { a href="/" { "返回首页" } }
                }
            }
        }
    }
}

pub fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · 督办" }
            link rel="stylesheet" href=(super::assets::CSS_PATH);
        }
    }
}

/// The hidden field that proves a form came from this session's page.
pub fn csrf(viewer: &Viewer) -> Markup {
    html! { input type="hidden" name="_csrf" value=(viewer.csrf()); }
}

/// The notice of a finished action (`?ok=…`), and an error message.
pub fn notices(ok: Option<&str>, error: Option<&str>) -> Markup {
    html! {
        @if let Some(t) = ok.and_then(super::notice_text) {
            p.notice role="status" { (t) }
        }
        @if let Some(e) = error {
            p.error role="alert" { (e) }
        }
    }
}

/// A light (green/yellow/red/done/unknown) as a coloured label that says
/// its meaning in words too.
pub fn light(code: &str, label: &str) -> Markup {
    let class = match code {
        "green" | "yellow" | "red" | "done" => code,
        _ => "unknown",
    };
    html! { span class={ "light " (class) } { (label) } }
}

/// Links to the previous and next pages of a list of `total` rows.
pub fn pager(path: &str, query: &[(&str, &str)], total: i64, limit: i64, offset: i64) -> Markup {
    let link = |off: i64| {
        let off = off.to_string();
        let mut q: Vec<(&str, &str)> = query
            .iter()
            .filter(|(k, _)| *k != "offset")
            .copied()
            .collect();
        q.push(("offset", &off));
        format!("{path}?{}", super::form::query(&q))
    };
    let (from, to) = (
        if total == 0 { 0 } else { offset + 1 },
        (offset + limit).min(total),
    );
    html! {
        nav.pager aria-label="分页" {
            span { "第 " (from) "–" (to) " 条，共 " (total) " 条" }
            @if offset > 0 {
                a href=(link((offset - limit).max(0))) { "上一页" }
            }
            @if offset + limit < total {
                a href=(link(offset + limit)) { "下一页" }
            }
        }
    }
}

/// The count of a keyset-paged list and links to its first page and to the
/// page after this one (`after=<next>`); the browser's back button returns.
/// `paged` is whether this page is past the first.
pub fn keyset_pager(
    path: &str,
    query: &[(&str, &str)],
    total: i64,
    paged: bool,
    next: Option<&str>,
) -> Markup {
    let link = |after: Option<&str>| {
        let mut q: Vec<(&str, &str)> = query
            .iter()
            .filter(|(k, _)| *k != "offset" && *k != "after")
            .copied()
            .collect();
        if let Some(a) = after {
            q.push(("after", a));
        }
        format!("{path}?{}", super::form::query(&q))
    };
    html! {
        nav.pager aria-label="分页" {
            span { "共 " (total) " 条" }
            @if paged {
                a href=(link(None)) { "第一页" }
            }
            @if let Some(n) = next {
                a href=(link(Some(n))) { "下一页" }
            }
        }
    }
}

/// What an input holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Date,
    /// Unit names, suggested from the unit registry.
    Units,
}

/// A labelled input keeping `value`.
pub fn input(name: &str, label: &str, value: &str, kind: Kind, required: bool) -> Markup {
    html! {
        label {
            span { (label) }
            input name=(name) value=(value) type=(if kind == Kind::Date { "date" } else { "text" })
                required[required] list=[(kind == Kind::Units).then_some("unit-names")];
        }
    }
}

/// A labelled select of `(value, label)` options with `current` chosen;
/// `any` labels a leading empty option (a filter's "all").
pub fn select(
    name: &str,
    label: &str,
    current: &str,
    options: &[(&str, &str)],
    any: Option<&str>,
    required: bool,
) -> Markup {
    html! {
        label {
            span { (label) }
            select name=(name) required[required] {
                @if let Some(all) = any { option value="" { (all) } }
                @for (v, l) in options {
                    option value=(v) selected[*v == current] { (l) }
                }
            }
        }
    }
}

/// A ratio in [0, 1] as a percentage with one decimal; "—" when absent.
pub fn percent(v: Option<f64>) -> String {
    v.map(|r| format!("{:.1}%", r * 100.0))
        .unwrap_or_else(|| "—".into())
}

/// A coordinate of a chart rounded to a tenth, to keep the SVG short.
pub fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A labelled choice of matter type keeping `current` (the first type when
/// nothing was chosen).
pub fn type_select(name: &str, types: &[String], current: &str) -> Markup {
    html! {
        label {
            span { "事项类型" }
            select name=(name) required {
                @for t in types { option value=(t) selected[t == current] { (t) } }
            }
        }
    }
}

/// A labelled text area keeping `value`.
pub fn textarea(name: &str, label: &str, value: &str, required: bool) -> Markup {
    html! {
        label.wide {
            span { (label) }
            textarea name=(name) rows="4" maxlength=(crate::limits::MAX_TEXT_CHARS) required[required] { (value) }
        }
    }
}

/// The unit names the unit fields suggest (a datalist: suggestions without
/// a script).
pub fn unit_datalist(names: &[String]) -> Markup {
    html! {
        datalist #unit-names {
            @for n in names { option value=(n) {} }
        }
    }
}

/// A small inline SVG bar: `part` of `whole`, for rates in tables.
pub fn rate_bar(part: i64, whole: i64) -> Markup {
    let pct = if whole > 0 {
        part as f64 * 100.0 / whole as f64
    } else {
        0.0
    };
    let w = (pct * 0.8).round();
    html! {
        span.rate {
            (PreEscaped(format!(
                "<svg width=\"80\" height=\"8\" aria-hidden=\"true\"><rect width=\"80\" height=\"8\" fill=\"#e5e7eb\"/><rect width=\"{w}\" height=\"8\" fill=\"#2563eb\"/></svg>"
            )))
            @if whole > 0 { " " (format!("{pct:.1}%")) } @else { " —" }
        }
    }
}
