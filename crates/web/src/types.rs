//! Matter types and their 13710 limits: listed for everyone logged in (the
//! forms that create matters offer them), created and changed by admins.
//! The three standard types are built in and cannot be changed; custom
//! types are never deleted or renamed, only retired (`active: false`), and a
//! change to a type's terms applies to matters created afterwards (every
//! matter keeps a copy of the terms it was created with).
//!
//! A body gives the terms in the shape the list shows them (`counting`,
//! `deploy_days`, `report_days`, `resolve`, `schedule`, `near_days`); a
//! change (`PUT`) names only what changes. Each field is read by hand so a
//! wrong value gets a Chinese message saying what to write instead.

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::views::{MatterTypeListView, MatterTypeView, MatterTypeWrapper};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use duban_domain::matter::{Counting, MatterKind, MatterType, Schedule, Term};
use duban_domain::org::Role;
use duban_store::TypeRecord;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update))
}

/// The largest number of days a term may have: a term longer than a year
/// is a deadline, which the matter itself carries.
pub(crate) const MAX_DAYS: i64 = 366;
/// The largest number of months a resolve term may have.
pub(crate) const MAX_MONTHS: i64 = 24;

/// A present field, `null` included: tells "set to none" (`Some(Null)`)
/// from "not given" (`None`), which a change needs.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// A type's terms as a request gives them; see the module docs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TypeBody {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub counting: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    pub deploy_days: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    pub report_days: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    pub resolve: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    pub schedule: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    pub near_days: Option<Value>,
    #[serde(default)]
    pub active: Option<bool>,
}

fn bad(m: impl Into<String>) -> ApiError {
    ApiError::BadRequest(m.into())
}

/// A whole number of days (or months) from 0 (or `min`) to `max`.
fn count(v: &Value, field: &str, what: &str, min: i64, max: i64) -> ApiResult<u32> {
    v.as_i64()
        .filter(|n| (min..=max).contains(n))
        .map(|n| n as u32)
        .ok_or_else(|| {
            bad(format!(
                "{what} {field} 应为 {min} 到 {max} 之间的整数，收到 {v}"
            ))
        })
}

fn parse_counting(v: &Value) -> ApiResult<Counting> {
    match v.as_str().map(str::trim) {
        Some("working" | "工作日") => Ok(Counting::Working),
        Some("calendar" | "自然日") => Ok(Counting::Calendar),
        _ => Err(bad(format!(
            "计日方式 counting 应为 自然日 或 工作日（calendar 或 working），收到 {v}"
        ))),
    }
}

fn parse_resolve(v: &Value) -> ApiResult<Option<Term>> {
    const HINT: &str = "办结时限 resolve 应写作 {\"days\": 7}（天数）或 {\"months\": 1}（月数），不设办结时限写 null";
    if v.is_null() {
        return Ok(None);
    }
    let Some(obj) = v.as_object().filter(|o| o.len() == 1) else {
        return Err(bad(format!("{HINT}，收到 {v}")));
    };
    match obj.iter().next() {
        Some((k, n)) if k == "days" => Ok(Some(Term::Days(count(
            n,
            "resolve.days",
            "办结天数",
            0,
            MAX_DAYS,
        )?))),
        Some((k, n)) if k == "months" => Ok(Some(Term::Months(count(
            n,
            "resolve.months",
            "办结月数",
            1,
            MAX_MONTHS,
        )?))),
        _ => Err(bad(format!("{HINT}，收到 {v}"))),
    }
}

fn parse_schedule(v: &Value) -> ApiResult<Option<Schedule>> {
    const HINT: &str = "报送节点 schedule 应写作 \"quarterly\"（每季度）或 {\"monthly\": {\"day\": 23}}（每月23日前），不设节点写 null";
    match v {
        Value::Null => Ok(None),
        Value::String(s) if matches!(s.trim(), "quarterly" | "每季度") => {
            Ok(Some(Schedule::Quarterly))
        }
        Value::Object(o) if o.len() == 1 => match o.get("monthly") {
            Some(m) => {
                let day = m
                    .get("day")
                    .ok_or_else(|| bad(format!("{HINT}，收到 {v}")))?;
                Ok(Some(Schedule::Monthly {
                    day: count(day, "schedule.monthly.day", "每月报送日", 1, 31)?,
                }))
            }
            None => Err(bad(format!("{HINT}，收到 {v}"))),
        },
        _ => Err(bad(format!("{HINT}，收到 {v}"))),
    }
}

/// The terms of `body` over `base`: the fields given replace the base's.
fn apply(body: &TypeBody, mut t: MatterType) -> ApiResult<MatterType> {
    if let Some(v) = &body.counting {
        t.counting = parse_counting(v)?;
    }
    if let Some(v) = &body.deploy_days {
        t.deploy_days = count(v, "deploy_days", "签收部署时限", 0, MAX_DAYS)?;
    }
    if let Some(v) = &body.report_days {
        t.report_days = count(v, "report_days", "首次反馈时限", 0, MAX_DAYS)?;
    }
    if let Some(v) = &body.resolve {
        t.resolve = parse_resolve(v)?;
    }
    if let Some(v) = &body.schedule {
        t.schedule = parse_schedule(v)?;
    }
    if let Some(v) = &body.near_days {
        t.near_days = count(v, "near_days", "临期提醒天数", 0, MAX_DAYS)?;
    }
    Ok(t)
}

fn admin_only(me: &Current, what: &str) -> ApiResult<()> {
    if me.user.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "只有系统管理员可以{what}事项类型"
        )))
    }
}

/// The unit a term is counted in, for sentences.
fn unit(c: Counting) -> &'static str {
    match c {
        Counting::Working => "个工作日",
        Counting::Calendar => "天",
    }
}

/// A type's limits in words, e.g. "工作日计；当天签收部署，3个工作日内反馈，
/// 7个工作日内办结".
pub(crate) fn describe(t: &MatterType) -> String {
    let u = unit(t.counting);
    let within = |n: u32, what: &str| {
        if n == 0 {
            format!("当天{what}")
        } else {
            format!("{n}{u}内{what}")
        }
    };
    let mut parts = vec![
        within(t.deploy_days, "签收部署"),
        within(t.report_days, "反馈"),
    ];
    match t.schedule {
        Some(Schedule::Quarterly) => parts.push("每季度结束后第一个工作周内报送进展".to_string()),
        Some(Schedule::Monthly { day }) => parts.push(format!("每月{day}日前报送进展")),
        None => {}
    }
    match t.resolve {
        Some(Term::Days(n)) => parts.push(within(n, "办结")),
        Some(Term::Months(n)) => parts.push(format!("{n}个月内办结")),
        None => parts.push("持续推进至事项的完成时限".to_string()),
    }
    format!("{}计；{}", t.counting.label(), parts.join("，"))
}

/// A type as the API shows it: its terms, labels, whether it is standard
/// and offered, and its limits in words.
pub(crate) fn type_view(r: &TypeRecord) -> MatterTypeView {
    let t = &r.matter_type;
    MatterTypeView {
        name: t.name.clone(),
        kind: t.kind,
        kind_label: t.kind.label().to_string(),
        counting: t.counting,
        counting_label: t.counting.label().to_string(),
        deploy_days: t.deploy_days,
        report_days: t.report_days,
        resolve: t.resolve.map(Into::into),
        schedule: t.schedule.map(Into::into),
        near_days: t.near_days,
        standard: r.standard,
        active: r.active,
        description: describe(t),
    }
}

#[utoipa::path(
    get,
    path = "/matter-types",
    operation_id = "get_api_v1_matter_types",
    tag = "管理",
    summary = "事项类型及其时限",
    description = "三个标准类型（普通、重大、持续推进）和管理员设立的自定义类型，各自的计日方式（自然日或工作日）、签收部署、首次反馈、办结时限和报送节点，附文字说明；停用的自定义类型标为 active=false，不能用于新事项。",
    responses(
        (status = 200, description = "事项类型列表", body = crate::views::MatterTypeListView),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn list(State(state): State<AppState>, _me: Current) -> ApiResult<Json<MatterTypeListView>> {
    Ok(Json(list_data(&state).await?))
}

/// Every type, standard first; the settings page renders the same value.
pub(crate) async fn list_data(state: &AppState) -> ApiResult<MatterTypeListView> {
    let matter_types = state
        .store
        .matter_types()
        .await?
        .iter()
        .map(type_view)
        .collect();
    Ok(MatterTypeListView { matter_types })
}

#[utoipa::path(
    post,
    path = "/matter-types",
    operation_id = "post_api_v1_matter_types",
    tag = "管理",
    summary = "新建自定义事项类型",
    description = "须给出名称、计日方式，以及办结时限或报送节点；其余时限默认当天签收部署、3天内反馈。标准类型的名称（普通、重大、持续及其全称、英文代码）不能使用。仅系统管理员。",
    request_body(content = ref("#/components/schemas/NewMatterType"), content_type = "application/json"),
    responses(
        (status = 201, description = "已新建", body = crate::views::MatterTypeWrapper),
        (status = 400, description = "请求体或某项时限写法有误，说明应如何填写", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 409, description = "同名类型已存在", body = crate::error::ErrorBody),
        (status = 422, description = "时限不合规（如办结时限早于反馈时限）或使用了标准类型的名称", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
async fn create(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<TypeBody>,
) -> ApiResult<(StatusCode, Json<MatterTypeWrapper>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_data(&state, &me, body).await?),
    ))
}

/// Sets up a custom type. Unset terms default to the ordinary 13710 ones
/// (same-day deployment, a report within 3 days, yellow 1 day before a
/// limit); the name, the counting and a resolve term or a schedule must be
/// given.
pub(crate) async fn create_data(
    state: &AppState,
    me: &Current,
    body: TypeBody,
) -> ApiResult<MatterTypeWrapper> {
    admin_only(me, "新建")?;
    let name = body.name.as_deref().map(str::trim).unwrap_or_default();
    if name.is_empty() {
        return Err(bad("请填写事项类型名称 name，例如 专项整治事项"));
    }
    if body.counting.is_none() {
        return Err(bad(
            "请填写计日方式 counting：自然日 或 工作日（calendar 或 working）",
        ));
    }
    let base = MatterType {
        name: name.to_string(),
        kind: MatterKind::Custom,
        counting: Counting::Working,
        deploy_days: 0,
        report_days: 3,
        resolve: None,
        schedule: None,
        near_days: 1,
    };
    let t = apply(&body, base)?;
    let mut r = state.store.create_matter_type(Some(me.user.id), t).await?;
    if body.active == Some(false) {
        // Set up retired, e.g. prepared ahead of the year it starts in.
        r = state
            .store
            .update_matter_type(Some(me.user.id), name, r.matter_type, false)
            .await?;
    }
    Ok(MatterTypeWrapper {
        matter_type: type_view(&r),
    })
}

#[utoipa::path(
    put,
    path = "/matter-types/{name}",
    operation_id = "put_api_v1_matter_types_name",
    tag = "管理",
    summary = "修改自定义事项类型",
    description = "只改请求体中给出的项；active=false 停用（不再用于新事项），true 恢复。类型不能改名、不能删除；标准类型不能修改。修改只影响此后新建的事项，已有事项保留立项时的时限。仅系统管理员。",
    params(
        ("name" = String, Path, description = "事项类型名称", max_length = 10000),
    ),
    request_body(content = ref("#/components/schemas/MatterTypeBody"), content_type = "application/json"),
    responses(
        (status = 200, description = "已保存", body = crate::views::MatterTypeWrapper),
        (status = 400, description = "请求体或某项时限写法有误，说明应如何填写", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 404, description = "没有这个事项类型", body = crate::error::ErrorBody),
        (status = 422, description = "时限不合规、试图改名，或是标准类型", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
async fn update(
    State(state): State<AppState>,
    me: Current,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<TypeBody>,
) -> ApiResult<Json<MatterTypeWrapper>> {
    Ok(Json(update_data(&state, &me, &name, body).await?))
}

/// Changes the terms of custom type `name` (the fields given) or whether it
/// is offered for new matters. Matters created before keep their terms.
pub(crate) async fn update_data(
    state: &AppState,
    me: &Current,
    name: &str,
    body: TypeBody,
) -> ApiResult<MatterTypeWrapper> {
    admin_only(me, "修改")?;
    let current = state.store.matter_type_record(name).await?;
    if current.standard {
        return Err(ApiError::Unprocessable(format!(
            "“{}”是标准事项类型，其时限由13710规则规定，不能修改；如需不同的时限，请新建自定义类型",
            current.matter_type.name
        )));
    }
    let mut t = apply(&body, current.matter_type)?;
    if let Some(n) = body.name.as_deref().map(str::trim) {
        // The name is the type's key; the store refuses a different one
        // with a message saying how to proceed.
        t.name = n.to_string();
    }
    let r = state
        .store
        .update_matter_type(
            Some(me.user.id),
            name.trim(),
            t,
            body.active.unwrap_or(current.active),
        )
        .await?;
    Ok(MatterTypeWrapper {
        matter_type: type_view(&r),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn limits_in_words() {
        assert_eq!(
            describe(&MatterType::ordinary()),
            "工作日计；当天签收部署，3个工作日内反馈，7个工作日内办结"
        );
        assert_eq!(
            describe(&MatterType::major().with_counting(Counting::Calendar)),
            "自然日计；当天签收部署，3天内反馈，1个月内办结"
        );
        assert_eq!(
            describe(&MatterType::continuing_with(Schedule::Monthly { day: 23 })),
            "工作日计；当天签收部署，3个工作日内反馈，每月23日前报送进展，持续推进至事项的完成时限"
        );
    }

    #[test]
    fn bodies_are_read_with_messages_that_say_what_to_write() {
        let body = |v: Value| serde_json::from_value::<TypeBody>(v).unwrap();
        let t = apply(
            &body(json!({ "counting": "工作日", "resolve": { "days": 5 }, "schedule": { "monthly": { "day": 23 } } })),
            MatterType::ordinary(),
        )
        .unwrap();
        assert_eq!(t.counting, Counting::Working);
        assert_eq!(t.resolve, Some(Term::Days(5)));
        assert_eq!(t.schedule, Some(Schedule::Monthly { day: 23 }));
        // null clears, absent keeps.
        let t = apply(&body(json!({ "resolve": null })), MatterType::ordinary()).unwrap();
        assert_eq!(t.resolve, None);
        assert_eq!(t.report_days, 3);
        for (v, says) in [
            (
                json!({ "counting": "周日" }),
                "计日方式 counting 应为 自然日 或 工作日",
            ),
            (
                json!({ "deploy_days": -1 }),
                "签收部署时限 deploy_days 应为 0 到 366 之间的整数",
            ),
            (json!({ "report_days": 2.5 }), "report_days"),
            (json!({ "resolve": 7 }), "{\"days\": 7}"),
            (json!({ "resolve": { "months": 0 } }), "办结月数"),
            (json!({ "schedule": "weekly" }), "quarterly"),
            (
                json!({ "schedule": { "monthly": { "day": 40 } } }),
                "每月报送日",
            ),
        ] {
            let e = apply(&body(v.clone()), MatterType::ordinary()).unwrap_err();
            let (_, m) = e.status_and_message();
            assert!(m.contains(says), "{v}: {m}");
        }
    }
}
