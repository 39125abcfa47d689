//! Administration: users (listed for the office, created by admins) and
//! the leaders' division of work (领导班子分工) read from its
//! document, matched to leader accounts and units, shown for confirmation
//! and applied on request.

use crate::auth::{hash_password, Current};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::views::{
    DivisionCandidateView, DivisionLeaderView, DivisionSetView, DivisionUnitView,
    DivisionUnmatchedView, DivisionUserView, DivisionView, UnmatchedLeaderView, UnmatchedUnitView,
    UserRowView, UserView, UserWrapper, UsersView,
};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use duban_domain::org::{self, Resolution, Role, Unit, UnitId, User, UserId};
use duban_store::NewUser;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(division_of_work))
}

fn admin_only(me: &Current, what: &str) -> ApiResult<()> {
    if me.user.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!("只有系统管理员可以{what}")))
    }
}

#[utoipa::path(
    get,
    path = "/users",
    operation_id = "get_api_v1_users",
    tag = "管理",
    summary = "用户列表",
    description = "全部用户及其角色、所属单位；分管领导附分管单位。仅督查室和系统管理员。",
    responses(
        (status = 200, description = "用户列表", body = crate::views::UsersView),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn list_users(State(state): State<AppState>, me: Current) -> ApiResult<Json<UsersView>> {
    Ok(Json(users_data(&state, &me).await?))
}

/// The users as the API lists them, for the office; the settings page
/// renders the same value.
pub(crate) async fn users_data(state: &AppState, me: &Current) -> ApiResult<UsersView> {
    if !matches!(me.user.role, Role::Admin | Role::Office) {
        return Err(ApiError::Forbidden("只有督查室可以查看用户列表".into()));
    }
    let units: HashMap<UnitId, String> = state
        .store
        .units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let principal = state.store.principal_leaders().await?;
    let mut out = Vec::new();
    for u in state.store.users().await? {
        let oversees = if u.role == Role::Leader {
            state.store.leader_units(u.id).await?
        } else {
            vec![]
        };
        out.push(UserRowView {
            role_label: u.role.label().to_string(),
            unit_name: u.unit_id.and_then(|id| units.get(&id).cloned()),
            principal: principal.contains(&u.id),
            id: u.id,
            login: u.login,
            name: u.name,
            role: u.role,
            unit_id: u.unit_id,
            email: u.email,
            active: u.active,
            oversees,
        });
    }
    Ok(UsersView { users: out })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateUser {
    pub login: String,
    pub name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub email: Option<String>,
    pub password: String,
}

#[utoipa::path(
    post,
    path = "/users",
    operation_id = "post_api_v1_users",
    tag = "管理",
    summary = "添加用户",
    description = "登录名、姓名、角色、所属单位（单位角色必填，其他角色不填）、邮箱和初始密码（至少 8 个字符）。仅系统管理员。",
    request_body(content = ref("#/components/schemas/CreateUser"), content_type = "application/json"),
    responses(
        (status = 201, description = "已添加", body = crate::views::UserWrapper),
        (status = 400, description = "请求体有误、登录名或姓名为空、密码不足 8 个字符", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 409, description = "登录名已被使用", body = crate::error::ErrorBody),
        (status = 422, description = "角色与所属单位不符，或单位不存在", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
async fn create_user(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<CreateUser>,
) -> ApiResult<(StatusCode, Json<UserWrapper>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_user_data(&state, &me, body).await?),
    ))
}

/// Adds a user as the API does; the settings page posts here too.
pub(crate) async fn create_user_data(
    state: &AppState,
    me: &Current,
    body: CreateUser,
) -> ApiResult<UserWrapper> {
    admin_only(me, "添加用户")?;
    let login = body.login.trim().to_string();
    if login.is_empty() || login.chars().any(char::is_whitespace) {
        return Err(ApiError::BadRequest("登录名不能为空，也不能含空格".into()));
    }
    let name = body.name.trim().to_string();
    if name.is_empty() {
        return Err(ApiError::BadRequest("姓名不能为空".into()));
    }
    crate::security::rules(state)
        .await?
        .password_policy()
        .check(&login, &body.password)
        .map_err(ApiError::BadRequest)?;
    if let Some(unit) = body.unit_id {
        state.store.unit(unit).await.map_err(|e| match e {
            duban_store::Error::NotFound(m) => ApiError::Unprocessable(m),
            e => e.into(),
        })?;
    }
    let email = body
        .email
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty());
    let user = state
        .store
        .create_user(
            Some(me.user.id),
            NewUser {
                login,
                name,
                role: body.role,
                unit_id: body.unit_id,
                email,
                password_hash: hash_password(&body.password),
            },
        )
        .await?;
    // An initial password is the admin's: the user must change it first.
    state
        .store
        .require_password_change(Some(me.user.id), user.id)
        .await?;
    Ok(UserWrapper {
        user: UserView::of(user),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Division {
    text: String,
    #[serde(default)]
    apply: bool,
}

/// A printed unit name and what it resolved to.
fn unit_match(units: &[Unit], name: &str) -> DivisionUnitView {
    let names: HashMap<UnitId, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    match org::resolve(units, name) {
        Resolution::Unit(id) => DivisionUnitView {
            name: name.to_string(),
            unit: Some(id),
            unit_name: names.get(&id).map(|n| n.to_string()),
            candidates: Vec::new(),
        },
        Resolution::Candidates(c) => DivisionUnitView {
            name: name.to_string(),
            unit: None,
            unit_name: None,
            candidates: c
                .iter()
                .map(|(id, score)| DivisionCandidateView {
                    unit: *id,
                    name: names.get(id).map(|n| n.to_string()),
                    score: *score,
                })
                .collect(),
        },
    }
}

#[utoipa::path(
    post,
    path = "/division-of-work",
    operation_id = "post_api_v1_division_of_work",
    tag = "管理",
    summary = "导入领导班子分工",
    description = "识别分工文件中每位领导的姓名、职务和分管单位，按姓名对应分管领导账号、按名称对应单位名录，返回结果供确认；apply=true 时把对应上的领导的分管单位设为对应上的单位（替换原有分管），并列出未对应上的领导和单位（不会新建或丢弃）。仅系统管理员。",
    request_body(content = ref("#/components/schemas/DivisionOfWork"), content_type = "application/json"),
    responses(
        (status = 200, description = "识别和对应结果；apply=true 时附已设置的分管", body = crate::views::DivisionView),
        (status = 400, description = "请求体有误或正文为空", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 422, description = "没有识别出领导分工", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
async fn division_of_work(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<Division>,
) -> ApiResult<Json<DivisionView>> {
    admin_only(&me, "导入领导班子分工")?;
    if body.text.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "text 不能为空：请粘贴领导班子分工的公文正文".into(),
        ));
    }
    let duties = duban_reader::division::division_of_work(&body.text);
    if duties.is_empty() {
        return Err(ApiError::Unprocessable(
            "没有识别出领导分工：每位领导应以“姓名（职务）”开头，其后写“具体分管：单位、单位。”"
                .into(),
        ));
    }
    let units = state.store.units().await?;
    let leaders: Vec<User> = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Leader && u.active)
        .collect();

    struct Plan {
        name: String,
        user: Option<UserId>,
        units: Vec<UnitId>,
        unmatched_units: Vec<String>,
    }
    let mut views = Vec::new();
    let mut plans = Vec::new();
    for d in &duties {
        let candidates: Vec<&User> = leaders
            .iter()
            .filter(|u| !d.name.is_empty() && u.name.starts_with(&d.name))
            .collect();
        let user = match candidates.as_slice() {
            [one] => Some(one.id),
            _ => None,
        };
        let mut matched = BTreeSet::new();
        let mut unmatched = Vec::new();
        let mut unit_views = Vec::new();
        for name in &d.oversees {
            let view = unit_match(&units, name);
            match view.unit {
                Some(id) => {
                    matched.insert(id);
                }
                None => unmatched.push(name.clone()),
            }
            unit_views.push(view);
        }
        views.push(DivisionLeaderView {
            name: d.name.clone(),
            title: d.title.clone(),
            user,
            user_candidates: candidates
                .iter()
                .map(|u| DivisionUserView {
                    id: u.id,
                    login: u.login.clone(),
                    name: u.name.clone(),
                })
                .collect(),
            units: unit_views,
            contacts: d.contacts.clone(),
            spans: d.spans.clone(),
        });
        plans.push(Plan {
            name: d.name.clone(),
            user,
            units: matched.into_iter().collect(),
            unmatched_units: unmatched,
        });
    }

    // Two blocks naming one account cannot both set its oversight.
    let mut count: HashMap<UserId, usize> = HashMap::new();
    for p in &plans {
        if let Some(u) = p.user {
            *count.entry(u).or_default() += 1;
        }
    }

    let mut applied = Vec::new();
    let mut unmatched_leaders = Vec::new();
    let mut unmatched_units = Vec::new();
    for p in &plans {
        for n in &p.unmatched_units {
            unmatched_units.push(UnmatchedUnitView {
                leader: p.name.clone(),
                name: n.clone(),
            });
        }
        let Some(user) = p.user else {
            unmatched_leaders.push(UnmatchedLeaderView {
                name: p.name.clone(),
                reason: "没有唯一对应的领导账号（姓名以此开头的分管领导账号须恰好一个）".into(),
            });
            continue;
        };
        if count[&user] > 1 {
            unmatched_leaders.push(UnmatchedLeaderView {
                name: p.name.clone(),
                reason: "分工中有多位领导对应同一个领导账号".into(),
            });
            continue;
        }
        if body.apply {
            let before = state.store.leader_units(user).await?;
            state
                .store
                .set_leader_units(Some(me.user.id), user, &p.units)
                .await?;
            applied.push(DivisionSetView {
                name: p.name.clone(),
                user,
                units_before: before,
                units: p.units.clone(),
            });
        }
    }
    Ok(Json(DivisionView {
        applied: body.apply,
        leaders: views,
        set: applied,
        unmatched: DivisionUnmatchedView {
            leaders: unmatched_leaders,
            units: unmatched_units,
        },
    }))
}
