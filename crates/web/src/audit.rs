//! The audit trail for the audit admin (审计管理员) alone: every entry of
//! the hash-chained log, log-ins, failures, downloads and changes alike,
//! newest first, narrowed by kind, user and dates. The system admin cannot
//! read it (三员分立).

use crate::auth::Current;
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::views::{AuditEntryView, AuditView, ContentLine, EventView, ObjectRef};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use duban_domain::events::{Event, EventKind, KIND_GROUPS};
use duban_domain::org::Role;
use duban_store::TrailFilter;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(trail))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Query {
    /// Entries before this sequence number.
    pub before: Option<i64>,
    pub limit: Option<i64>,
    /// Actions starting with this (`audit.login`, `user.`).
    pub kind: Option<String>,
    /// The log-in name of the user who acted.
    pub user: Option<String>,
    /// Local dates, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[utoipa::path(
    get,
    path = "/audit",
    operation_id = "get_api_v1_audit",
    tag = "管理",
    summary = "审计记录",
    description = "哈希链中的全部记录，新的在前：登录及失败（地址、浏览器标识）、附件下载、账号和权限变更、配置变更及各项业务操作。仅审计管理员（auditor）可查看，系统管理员不能查看（三员分立）。",
    params(
        ("before" = Option<i64>, Query, description = "只列出序号小于此值的记录（翻页：上一页的 next_before）", minimum = 1),
        ("limit" = Option<i64>, Query, description = "条数，1–1000，默认 100", minimum = 1, maximum = 1000),
        ("kind" = Option<String>, Query, description = "只看一种记录（其代码，如 audit.login 登录、track.sign_for 签收）或一组记录（以点结尾的前缀，如 audit. 安全审计、user. 账号、settings. 系统设置）；其他值答 422", max_length = 10000),
        ("user" = Option<String>, Query, description = "只看此登录名的用户所为", max_length = 10000),
        ("from" = Option<chrono::NaiveDate>, Query, description = "起始日期（含，本地时间）"),
        ("to" = Option<chrono::NaiveDate>, Query, description = "截止日期（含）"),
    ),
    responses(
        (status = 200, description = "审计记录", body = crate::views::AuditView),
        (status = 400, description = "参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是审计管理员", body = crate::error::ErrorBody),
        (status = 422, description = "没有这个用户或这种记录", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["auditor"]))),
)]
async fn trail(
    State(state): State<AppState>,
    me: Current,
    ApiQuery(q): ApiQuery<Query>,
) -> ApiResult<Json<AuditView>> {
    Ok(Json(trail_data(&state, &me, q).await?))
}

/// The trail as the API lists it; the audit page renders the same view.
pub(crate) async fn trail_data(state: &AppState, me: &Current, q: Query) -> ApiResult<AuditView> {
    if me.user.role != Role::Auditor {
        return Err(ApiError::Forbidden("审计记录只由审计管理员查看".into()));
    }
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let users = state.store.users().await?;
    let actor = match q.user.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(login) => Some(
            users
                .iter()
                .find(|u| u.login == login)
                .ok_or_else(|| {
                    ApiError::Unprocessable(format!("没有登录名为“{login}”的用户：请检查用户一栏"))
                })?
                .id,
        ),
    };
    let kind = q
        .kind
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty());
    if let Some(k) = &kind {
        let known = EventKind::of_code(k).is_some() || KIND_GROUPS.iter().any(|(g, _)| g == k);
        if !known {
            return Err(ApiError::Unprocessable(format!(
                "没有“{k}”这种记录：种类请填写一种记录的代码（如 audit.login）或一组的前缀（如 user.），或不填"
            )));
        }
    }
    let offset = chrono::Duration::hours(i64::from(state.clock().hours()));
    let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - offset;
    let filter = TrailFilter {
        before: q.before,
        kind,
        actor,
        from: q.from.map(start),
        to: q.to.and_then(|d| d.succ_opt()).map(start),
        limit,
    };
    let entries = state.store.audit_search(&filter).await?;
    let next_before = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    let names: HashMap<i64, String> = users
        .into_iter()
        .map(|u| (u.id, format!("{}（{}）", u.name, u.login)))
        .collect();
    let clock = state.clock();
    let entries = entries
        .into_iter()
        .map(|e| AuditEntryView {
            action_label: EventKind::label_of(&e.action).to_string(),
            object: object_of(&e, &names),
            content: content_of(&e.entity, &e.before, &e.after),
            event: {
                let actor = e.actor.and_then(|a| names.get(&a).cloned());
                EventView::of(e, actor, &clock)
            },
        })
        .collect();
    Ok(AuditView {
        entries,
        next_before,
    })
}

/// The page of an object of a kind, from its number.
type PageOf = fn(i64) -> String;

/// What entries happen to, in words, and the pages of those that have one:
/// (entity, name, page of an id).
const OBJECTS: &[(&str, &str, Option<PageOf>)] = &[
    ("matter", "事项", Some(|id| format!("/matters/{id}"))),
    // A track's page is its matter's: see `object_of`.
    ("track", "单位任务", None),
    ("user", "用户", None),
    ("unit", "单位", None),
    ("group", "单位分组", None),
    ("document", "公文", Some(|id| format!("/documents/{id}"))),
    (
        "source",
        "来源文件",
        Some(|id| format!("/documents/source/{id}")),
    ),
    ("proposal", "拟办任务", None),
    ("appeal", "诉求", Some(|id| format!("/appeals/{id}"))),
    ("report", "反馈", None),
    ("attachment", "附件", None),
    ("indicator_value", "指标数值", None),
    ("inspection", "督查记录", None),
    ("summons", "约谈", None),
    ("assessment_rules", "考核规则", None),
    (
        "calendar",
        "节假日安排",
        Some(|year| format!("/admin/calendar/{year}")),
    ),
    ("matter_type", "事项类型", None),
    ("settings", "系统设置", None),
    ("token", "API 令牌", None),
    ("board", "督办事项看板", None),
    ("ledger", "督办台账", None),
];

/// An entry's object in words: `事项 12`, `用户 4（张三（zhangsan））`; a
/// track links to its matter's page.
fn object_of(e: &Event, users: &HashMap<i64, String>) -> ObjectRef {
    let found = OBJECTS.iter().find(|(entity, _, _)| *entity == e.entity);
    let name = found.map_or(e.entity.as_str(), |(_, name, _)| name);
    let mut label = if e.entity_id == 0 {
        name.to_string()
    } else {
        format!("{name} {}", e.entity_id)
    };
    if e.entity == "user" {
        if let Some(who) = users.get(&e.entity_id) {
            label = format!("{label}（{who}）");
        }
    }
    let href = match found {
        Some((_, _, Some(page))) if e.entity_id != 0 => Some(page(e.entity_id)),
        _ if e.entity == "track" => [&e.after, &e.before]
            .iter()
            .find_map(|v| v.get("matter_id").and_then(Value::as_i64))
            .map(|m| format!("/matters/{m}")),
        _ => None,
    };
    ObjectRef { label, href }
}

/// The names of the fields entries record.
const FIELDS: &[(&str, &str)] = &[
    ("login", "登录名"),
    ("addr", "地址"),
    ("user_agent", "浏览器标识"),
    ("what", "内容"),
    ("filter", "筛选条件"),
    ("rows", "行数"),
    ("bytes", "字节数"),
    ("size", "大小（字节）"),
    ("name", "名称"),
    ("title", "标题"),
    ("detail", "详细内容"),
    ("text", "内容"),
    ("note", "说明"),
    ("reason", "原因"),
    ("key", "设置项"),
    ("value", "值"),
    ("status", "状态"),
    ("state", "状态"),
    ("role", "角色"),
    ("grade", "评定等次"),
    ("kind", "类别"),
    ("id", "编号"),
    ("matter_id", "事项"),
    ("matter", "事项"),
    ("unit_id", "单位"),
    ("unit", "单位"),
    ("units", "单位"),
    ("track_id", "任务"),
    ("tracks", "单位任务"),
    ("other", "关联事项"),
    ("lead", "牵头单位"),
    ("co", "配合单位"),
    ("deadline", "完成时限"),
    ("due", "期限"),
    ("dues", "各项时限"),
    ("year", "年度"),
    ("number", "编号"),
    ("urging", "催办单"),
    ("handler", "承办人"),
    ("handler_name", "承办人姓名"),
    ("principal", "第一责任人"),
    ("token_id", "令牌编号"),
    ("failures", "失败次数"),
    ("locked_until", "锁定至"),
    ("must_change", "须修改密码"),
    ("must_change_password", "须修改密码"),
    ("chain_hash", "哈希算法"),
    ("merged", "并入的单位"),
    ("into", "并入"),
    ("aliases", "别名"),
    ("moved", "转移的记录"),
    ("sha256", "SHA-256 摘要"),
    ("body_sha256", "正文摘要"),
    ("files", "附件"),
    ("documents", "公文"),
    ("document", "公文"),
    ("proposals", "拟办任务"),
    ("provenance", "来源"),
    ("data", "数据"),
    ("source", "来源"),
    ("matter_type", "事项类型"),
    ("created_at", "创建时间"),
    ("assigned_at", "交办时间"),
    ("signed_at", "签收时间"),
    ("report_times", "反馈时间"),
    ("close_requested_at", "申请办结时间"),
    ("returned_at", "退回时间"),
    ("returns", "退回次数"),
    ("closed_at", "办结时间"),
    ("withdrawn_at", "撤销时间"),
    ("pending_extension", "待批的延期申请"),
    ("extended_until", "延期至"),
    ("extension_plan", "延期计划"),
    ("extensions_granted", "批准延期次数"),
    ("extensions_refused", "不予延期次数"),
    ("version", "版本"),
    ("updated_at", "更新时间"),
    ("totp", "动态口令"),
    ("active", "启用"),
    ("email", "电子邮箱"),
    ("phone", "电话"),
    ("leader", "领导"),
    ("parent", "上级"),
    ("category", "类别"),
    ("contact", "联系方式"),
];

/// A field's name in words, or the field itself.
pub(crate) fn field_label(key: &str) -> &str {
    FIELDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, label)| label)
}

/// At most this many characters of a value.
const VALUE_CHARS: usize = 300;

/// A value in words: 是/否, dates with a space, codes of a track's state
/// or role in words, lists with 、, objects as 名称：值；….
fn show_value(entity: &str, key: &str, v: &Value) -> String {
    use duban_domain::matter::{Grade, MatterStatus, Role as TrackRole};
    use duban_domain::workflow::TrackState;
    let words = |v: &Value| -> Option<&'static str> {
        let v = v.clone();
        match (entity, key) {
            ("track", "state") => serde_json::from_value::<TrackState>(v)
                .ok()
                .map(TrackState::label),
            ("track", "role") => serde_json::from_value::<TrackRole>(v)
                .ok()
                .map(TrackRole::label),
            ("user", "role") => serde_json::from_value::<Role>(v).ok().map(Role::label),
            (_, "grade") => serde_json::from_value::<Grade>(v).ok().map(Grade::label),
            // A matter's status event records the bare value.
            ("matter", "status" | "value") => serde_json::from_value::<MatterStatus>(v)
                .ok()
                .map(MatterStatus::label),
            _ => None,
        }
    };
    let text = match v {
        Value::Null => "无".to_string(),
        Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => match words(v) {
            Some(w) => w.to_string(),
            // A stored time (2026-12-07T09:30:00.123456) reads with a
            // space, to the second.
            None if s.len() >= 19
                && s.as_bytes()[10] == b'T'
                && s[..4].bytes().all(|b| b.is_ascii_digit()) =>
            {
                s[..19].replacen('T', " ", 1)
            }
            None => s.clone(),
        },
        Value::Array(items) if items.is_empty() => "无".to_string(),
        Value::Array(items) => items
            .iter()
            .map(|i| show_value(entity, key, i))
            .collect::<Vec<_>>()
            .join("、"),
        Value::Object(fields) => fields
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{}：{}", field_label(k), show_value(entity, k, v)))
            .collect::<Vec<_>>()
            .join("；"),
    };
    if text.chars().count() > VALUE_CHARS {
        format!("{}…", text.chars().take(VALUE_CHARS).collect::<String>())
    } else {
        text
    }
}

/// What an entry records, a line per field: for a change, the fields that
/// changed (old → new); for a record, its fields with a value.
pub(crate) fn content_of(entity: &str, before: &Value, after: &Value) -> Vec<ContentLine> {
    let line = |key: &str, value: String| ContentLine {
        label: field_label(key).to_string(),
        value,
    };
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    };
    let show = |key: &str, v: &Value| show_value(entity, key, v);
    match (before, after) {
        (Value::Null, Value::Null) => Vec::new(),
        (Value::Object(old), Value::Object(new)) => {
            let mut lines: Vec<ContentLine> = new
                .iter()
                .filter(|(k, v)| old.get(*k) != Some(v))
                .filter(|(k, v)| !(empty(v) && old.get(*k).is_none_or(empty)))
                .map(|(k, v)| match old.get(k).filter(|o| !empty(o)) {
                    Some(o) => line(k, format!("{} → {}", show(k, o), show(k, v))),
                    None => line(k, show(k, v)),
                })
                .collect();
            lines.extend(
                old.iter()
                    .filter(|(k, v)| !new.contains_key(*k) && !empty(v))
                    .map(|(k, v)| line(k, format!("{} → 无", show(k, v)))),
            );
            lines
        }
        (Value::Null, Value::Object(new)) => new
            .iter()
            .filter(|(_, v)| !empty(v))
            .map(|(k, v)| line(k, show(k, v)))
            .collect(),
        (Value::Object(old), Value::Null) => old
            .iter()
            .filter(|(_, v)| !empty(v))
            .map(|(k, v)| line(k, format!("{}（已删除）", show(k, v))))
            .collect(),
        (Value::Null, new) => vec![line("value", show("value", new))],
        (old, new) => vec![line(
            "value",
            format!("{} → {}", show("value", old), show("value", new)),
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn content_in_words() {
        type Case = (
            &'static str,
            Value,
            Value,
            &'static [(&'static str, &'static str)],
        );
        let cases: &[Case] = &[
            ("user", json!(null), json!(null), &[]),
            (
                "user",
                json!(null),
                json!({"login": "admin", "addr": "127.0.0.1", "user_agent": null}),
                &[("地址", "127.0.0.1"), ("登录名", "admin")],
            ),
            (
                "track",
                json!({"state": "assigned", "version": 1, "matter_id": 3}),
                json!({"state": "signed_for", "version": 2, "matter_id": 3, "signed_at": "2026-12-07T09:30:00"}),
                &[
                    ("签收时间", "2026-12-07 09:30:00"),
                    ("状态", "待签收 → 办理中"),
                    ("版本", "1 → 2"),
                ],
            ),
            (
                "track",
                json!({"updated_at": "2026-12-04T22:25:12.773727133"}),
                json!({"updated_at": "2026-12-06T22:25:12.1"}),
                &[("更新时间", "2026-12-04 22:25:12 → 2026-12-06 22:25:12")],
            ),
            (
                "matter",
                json!("open"),
                json!("closed"),
                &[("值", "办理中 → 已销号")],
            ),
            (
                "matter",
                json!({"deadline": "2026-12-31"}),
                json!({"deadline": "2027-01-31", "reason": "工程延后"}),
                &[
                    ("完成时限", "2026-12-31 → 2027-01-31"),
                    ("原因", "工程延后"),
                ],
            ),
            (
                "user",
                json!({"token_id": 2, "name": "接口"}),
                json!(null),
                &[("名称", "接口（已删除）"), ("令牌编号", "2（已删除）")],
            ),
            (
                "unit",
                json!("bureau"),
                json!("town"),
                &[("值", "bureau → town")],
            ),
            (
                "track",
                json!(null),
                json!({"lead": [3, 4], "must_change": true, "role": "co", "x_new": {"a": 1, "b": null}}),
                &[
                    ("牵头单位", "3、4"),
                    ("须修改密码", "是"),
                    ("角色", "配合单位"),
                    ("x_new", "a：1"),
                ],
            ),
        ];
        for (entity, before, after, want) in cases {
            let got: Vec<(String, String)> = content_of(entity, before, after)
                .into_iter()
                .map(|l| (l.label, l.value))
                .collect();
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(l, v)| (l.to_string(), v.to_string()))
                .collect();
            assert_eq!(got, want, "{entity} {before} → {after}");
        }
    }

    #[test]
    fn a_long_value_is_cut() {
        let long = "很".repeat(VALUE_CHARS + 10);
        let lines = content_of("matter", &json!(null), &json!({ "text": long }));
        assert_eq!(lines[0].value.chars().count(), VALUE_CHARS + 1);
        assert!(lines[0].value.ends_with('…'));
    }

    #[test]
    fn every_field_is_named_once() {
        let mut seen = std::collections::HashSet::new();
        for (k, label) in FIELDS {
            assert!(seen.insert(k), "{k} twice");
            assert!(!label.is_empty());
        }
    }
}
