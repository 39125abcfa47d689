//! The OpenAPI 3.1 document at `/api/openapi.json`, generated from the
//! routes as registered: each handler carries its `#[utoipa::path]` (tag,
//! summary and description in Chinese, parameters with their exact
//! schemas, request body, every response with its type, and who may call
//! it as `x-roles`), and `utoipa_axum::routes!` registers the route and its
//! documentation together (`crate::documented`). A route is registered
//! with its documentation or not at all.
//!
//! A read's query parameters come from its query struct (`IntoParams`,
//! `crate::params`), the words a parameter takes from the table its reader
//! accepts. What is written here: the request bodies' schemas (by name, as
//! strict as their handlers by [`tighten`]), the `x-roles` lists, and what
//! follows from an operation's roles by rule ([`complete`]: how to
//! authenticate).

use crate::AppState;
use axum::Json;
use serde_json::{json, Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "get_api_openapi_json",
    tag = "运维",
    summary = "本接口文档（OpenAPI 3.0）",
    description = "由服务端的路由表生成。",
    responses(
        (status = 200, description = "OpenAPI 文档", body = Object),
    ),
    extensions(("x-roles" = json!(crate::openapi::ANYONE))),
)]
async fn openapi_json() -> Json<Value> {
    Json(DOCUMENT.clone())
}

/// The document, made once.
static DOCUMENT: std::sync::LazyLock<Value> = std::sync::LazyLock::new(document);

/// `x-roles` of an endpoint anyone may call, logged in or not.
pub const ANYONE: &[&str] = &["anonymous"];
/// `x-roles` of an endpoint any logged-in user may call; what they see may
/// be scoped by role.
pub const LOGGED_IN: &[&str] = &["any"];

/// A file sent as itself: a download, an export.
pub struct Binary;

impl utoipa::PartialSchema for Binary {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for Binary {}

/// `x-roles` of the office's endpoints (督查室, and the system admin).
/// The roles are `org::Role` codes; some endpoints narrow further by the
/// resource (said in their description).
pub const OFFICE: &[&str] = &["office", "admin"];
/// `x-roles`: everyone in government, not the public.
pub const GOVERNMENT: &[&str] = &[
    "office",
    "admin",
    "unit_head",
    "liaison",
    "handler",
    "leader",
];
/// `x-roles`: who acts on a track (the office and the units).
pub const TRACK_ACTORS: &[&str] = &["office", "admin", "unit_head", "liaison", "handler"];
/// `x-roles`: who reads appeals (the office and the public who raise them).
pub const APPEAL_READERS: &[&str] = &["office", "admin", "public"];

/// Who sees bulletins and rankings: the office and leaders.
pub const OVERSIGHT: &[&str] = &["office", "admin", "leader"];

/// The request bodies, by name.
fn schemas() -> Value {
    let mut all = core_schemas();
    for more in [more_schemas(), setting_schemas(), office_schemas()] {
        if let (Value::Object(all), Value::Object(more)) = (&mut all, more) {
            all.extend(more);
        }
    }
    // A new type is the edit body with what creation needs.
    let mut new_type = all["MatterTypeBody"].clone();
    new_type["required"] = json!(["name", "counting"]);
    new_type["anyOf"] = json!([
        { "required": ["resolve"], "properties": { "resolve": { "type": "object" } } },
        { "required": ["schedule"], "properties": { "schedule": { "oneOf": [{ "type": "string" }, { "type": "object" }] } } },
    ]);
    all["NewMatterType"] = new_type;
    all
}

/// The bodies of the office's, the units' and the leaders' actions on a
/// matter (issue 12), apart so one `json!` stays within the macro's
/// recursion limit.
fn office_schemas() -> Value {
    let (text, ids, date, version) = (field::text, field::ids, field::date, field::version());
    json!({
        "Instruction": {
            "type": "object",
            "required": ["text"],
            "additionalProperties": false,
            "properties": { "text": text("批示内容") },
        },
        "Principal": {
            "type": "object",
            "required": ["principal"],
            "additionalProperties": false,
            "properties": { "principal": { "type": "boolean", "description": "true：主要领导，查看全区；false：只看分管单位" } },
        },
        "Urge": {
            "type": "object",
            "required": ["text"],
            "additionalProperties": false,
            "properties": { "text": text("催办内容"), "units": ids("催办的单位编号；缺省为全部未办结的承办单位") },
        },
        "Reassign": {
            "type": "object",
            "required": ["lead", "reason"],
            "additionalProperties": false,
            "properties": {
                "lead": ids("改派后的牵头（责任）单位编号，至少一个"),
                "co": ids("改派后的配合单位编号"),
                "reason": text("改派理由"),
                "version": version,
            },
        },
        "Deadline": {
            "type": "object",
            "required": ["deadline", "reason"],
            "additionalProperties": false,
            "properties": { "deadline": date("新的完成时限"), "reason": text("调整理由"), "version": version },
        },
        "MatterLink": {
            "type": "object",
            "required": ["other"],
            "additionalProperties": false,
            "properties": { "other": { "type": "integer", "description": "另一个事项的编号" }, "reason": text("理由（可不填）") },
        },
        "EditMatter": {
            "type": "object",
            "required": ["reason"],
            "additionalProperties": false,
            "properties": { "title": text("事项标题"), "detail": text("事项内容"), "reason": text("修改理由"), "version": version },
        }
    })
}

/// An action on a track: one variant per action, each requiring the fields
/// its handler requires (`tracks::required_fields`), so the schema and the
/// handler cannot drift apart.
fn track_action_schema(properties: Value) -> Value {
    use duban_domain::workflow::ActionKind;
    let variants: Vec<Value> = ActionKind::ALL
        .into_iter()
        .map(|kind| {
            let mut required = vec!["version", "action"];
            required.extend(crate::tracks::required_fields(kind).iter().map(|(f, _)| *f));
            let mut props = properties.clone();
            props["action"] =
                json!({ "type": "string", "enum": [crate::tracks::action_code(kind)] });
            json!({
                "type": "object",
                "title": kind.label(),
                "required": required,
                "additionalProperties": false,
                "properties": props,
            })
        })
        .collect();
    json!({
        "description": "report、apply_to_close 须带 text；return、refuse_extension 须带 reason；close 须带 grade（可带 reason，不合格时必填）；request_extension 须带 until 和 plan。",
        "oneOf": variants,
    })
}

fn core_schemas() -> Value {
    let (text, ids, date, version) = (field::text, field::ids, field::date, field::version());
    json!({
        "Login": {
            "type": "object",
            "required": ["login", "password"],
            "properties": { "login": text("登录名"), "password": text("密码"), "totp": text("动态口令（已启用的账号）：验证器上当前的 6 位数字") },
        },
        "CreateUnit": {
            "type": "object",
            "required": ["name", "level", "kind"],
            "additionalProperties": false,
            "properties": {
                "name": { "type": "string", "minLength": 2, "pattern": "\\S[\\s\\S]*\\S", "description": "单位名称，至少两个字（不计空格）" },
                "aliases": { "type": "array", "items": { "type": "string", "pattern": "\\S[\\s\\S]*\\S", "description": "至少两个字（不计空格）" }, "description": "别名、简称" },
                "parent": { "type": "integer", "minimum": 1, "description": "上级单位编号" },
                "level": { "type": "string", "enum": ["province", "city", "county", "township"] },
                "kind": { "type": "string", "enum": ["government", "department", "township", "zone", "company", "outside"] },
            },
        },
        "ReadMessages": {
            "type": "object",
            "additionalProperties": false,
            "description": "keys 和 all: true 至少写一项。",
            "anyOf": [
                { "required": ["keys"] },
                { "required": ["all"], "properties": { "all": { "enum": [true] } } },
            ],
            "properties": {
                "keys": { "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1, "pattern": "\\S" }, "description": "消息的 key" },
                "all": { "type": "boolean", "description": "全部标为已读" },
            },
        },
        "EditUnit": {
            "type": "object",
            "additionalProperties": false,
            "minProperties": 1,
            "properties": {
                "kind": { "type": "string", "enum": ["government", "department", "township", "zone", "company", "outside"], "description": "单位类别" },
                "aliases": { "type": "array", "items": { "type": "string", "pattern": "\\S[\\s\\S]*\\S", "description": "至少两个字（不计空格）" }, "description": "别名、简称（整体替换）" },
            },
        },
        "MergeUnit": {
            "type": "object",
            "required": ["into"],
            "additionalProperties": false,
            "properties": { "into": { "type": "integer", "minimum": 1, "description": "保留的单位编号" } },
        },
        "Source": {
            "type": "object",
            "required": ["type"],
            "description": "事项来源。document 须带 document_id 和 spans；meeting 须带 name（可带 date）；instruction 须带 leader（可带 date）；list 须带 list 和 item。appeal 只能由受理诉求生成。",
            "oneOf": [
                { "required": ["document_id", "spans"], "properties": { "type": { "enum": ["document"] } } },
                { "required": ["name"], "properties": { "type": { "enum": ["meeting"] } } },
                { "required": ["leader"], "properties": { "type": { "enum": ["instruction"] } } },
                { "required": ["list", "item"], "properties": { "type": { "enum": ["list"] } } },
            ],
            "properties": {
                "type": { "type": "string", "enum": ["document", "meeting", "instruction", "list"] },
                "document_id": { "type": "integer", "minimum": 1 },
                "spans": { "type": "array", "items": { "type": "array", "items": { "type": "integer" } } },
                "name": text("会议名称"),
                "leader": text("批示领导"),
                "date": date("会议或批示日期"),
                "list": text("清单名称"),
                "item": text("清单项目"),
            },
        },
        "ConfirmProposal": {
            "type": "object",
            "required": ["version"],
            "properties": {
                "version": version,
                "title": text("事项标题，不填取任务原文开头"),
                "lead": ids("牵头单位编号，不填用识别出的单位"),
                "co": ids("配合单位编号"),
                "deadline": date("截止日期，不填用识别出的期限"),
                "matter_type": { "type": "string", "description": "事项类型：普通、重大、持续，或启用中的自定义类型名称（见 GET /api/v1/matter-types；默认持续）" },
            },
        },
        "RejectProposal": {
            "type": "object",
            "required": ["version", "reason"],
            "additionalProperties": false,
            "properties": {
                "version": version,
                "reason": text("不予立项或合并的理由"),
                "merged_into": { "type": "integer", "minimum": 1, "description": "合并到的事项编号" },
            },
        },
        "UploadedFile": {
            "type": "string",
            "format": "binary",
            "description": "文件内容：文本（UTF-8、GB18030/GBK、带 BOM 的 UTF-16）、.docx、.doc/.wps（需 LibreOffice）、.pdf 或 .ofd",
        },
        "XlsxFile": {
            "type": "string",
            "format": "binary",
            "description": "Excel 文件内容（.xlsx，或旧版 .xls）",
        },
        "CreateMatter": {
            "type": "object",
            "required": ["title", "type", "source", "lead"],
            "additionalProperties": false,
            "properties": {
                "title": text("事项标题，不超过200字"),
                "detail": text("任务内容"),
                "type": { "type": "string", "description": "事项类型：普通、重大、持续（或 ordinary、major、continuing），或启用中的自定义类型名称（见 GET /api/v1/matter-types）" },
                "source": { "$ref": "#/components/schemas/Source" },
                "deadline": date("事项自身的截止日期（如 2023年底前），替代类型的办结时限"),
                "lead": ids("牵头（责任）单位编号，至少一个"),
                "co": ids("配合单位编号"),
                "targets": { "type": "array", "items": { "type": "object" }, "description": "量化指标（公文提取结果）" },
            },
        },
        "Withdraw": {
            "type": "object",
            "required": ["reason"],
            "additionalProperties": false,
            "properties": { "reason": text("撤销理由"), "version": version },
        },
        "PassToHandler": {
            "type": "object",
            "required": ["handler"],
            "additionalProperties": false,
            "properties": { "handler": { "type": "integer", "minimum": 1, "description": "承办人的用户编号" }, "note": text("交办说明") },
        },
        "TrackAction": track_action_schema(json!({
                "version": version.clone(),
                "action": {
                    "type": "string",
                    "enum": ["sign_for", "report", "apply_to_close", "request_extension", "return", "close", "grant_extension", "refuse_extension", "withdraw"],
                },
                "text": text("反馈内容或办理结果"),
                "reason": text("理由或审核意见"),
                "grade": { "type": "string", "enum": ["优秀", "良好", "合格", "不合格", "excellent", "good", "pass", "fail"], "description": "评定等次：优秀、良好、合格、不合格（或 excellent、good、pass、fail）" },
                "until": date("申请延期至"),
                "plan": text("时间表和工作计划"),
                "files": {
                    "type": "array",
                    "description": "附件（仅 report、apply_to_close、request_extension）",
                    "items": {
                        "type": "object",
                        "required": ["name", "base64"],
                        "properties": {
                            "name": text("文件名"),
                            "mime": text("文件类型，如 application/pdf"),
                            "base64": { "type": "string", "pattern": "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$", "description": "文件内容（base64）" },
                        },
                    },
                },
            })),
    })
}

/// The assessment rules of a year (`duban_domain::assess::Rules`), apart
/// so the bodies' `json!` stays within the macro's recursion limit.
fn assessment_rules_schema() -> Value {
    json!({
        "type": "object",
        "description": "考核规则（duban_domain::assess::Rules）：total 总分；indicators 指标（kind: sign_for/report/close/returns/grades/inspections/summons，weight 权重，per_event 每次约谈扣分）；bonuses 加分（source: excellent，per，cap）；grade_values 办结等次分值；when_nothing_due: full/zero；grades 等次（name，percent 名额上限，最后一个不设，min_score）；bulletin 通报条件（commend_min_tracks，criticise_overdue_days，criticise_close_rate_below）。",
        "required": ["total", "indicators", "grade_values", "when_nothing_due", "grades", "bulletin"],
        "additionalProperties": false,
        "properties": {
            "total": { "type": "number" },
            "indicators": { "type": "array", "items": {
                "type": "object",
                "required": ["kind", "weight"],
                "additionalProperties": false,
                "properties": {
                    "kind": { "type": "string", "enum": ["sign_for", "report", "close", "returns", "grades", "inspections", "summons"] },
                    "label": { "type": "string" },
                    "weight": { "type": "number" },
                    "per_event": { "type": "number" },
                },
            } },
            "bonuses": { "type": "array", "items": {
                "type": "object",
                "required": ["source", "per", "cap"],
                "additionalProperties": false,
                "properties": {
                    "source": { "type": "string", "enum": ["excellent"] },
                    "label": { "type": "string" },
                    "per": { "type": "number" },
                    "cap": { "type": "number" },
                },
            } },
            "grade_values": {
                "type": "object",
                "required": ["excellent", "good", "pass", "fail"],
                "additionalProperties": false,
                "properties": {
                    "excellent": { "type": "number" },
                    "good": { "type": "number" },
                    "pass": { "type": "number" },
                    "fail": { "type": "number" },
                },
            },
            "when_nothing_due": { "type": "string", "enum": ["full", "zero"] },
            "grades": { "type": "array", "items": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": false,
                "properties": {
                    "name": { "type": "string" },
                    "percent": { "type": "integer", "minimum": 0, "maximum": 4_294_967_295_u64, "nullable": true },
                    "min_score": { "type": "number", "nullable": true },
                },
            } },
            "bulletin": {
                "type": "object",
                "required": ["commend_min_tracks", "criticise_overdue_days", "criticise_close_rate_below"],
                "additionalProperties": false,
                "properties": {
                    "commend_min_tracks": { "type": "integer" },
                    "criticise_overdue_days": { "type": "integer", "minimum": 0, "maximum": 4_294_967_295_u64 },
                    "criticise_close_rate_below": { "type": "integer", "minimum": 0, "maximum": 4_294_967_295_u64 },
                },
            },
        },
    })
}

/// Schemas of one field, with its description.
mod field {
    use serde_json::{json, Value};

    pub(super) fn text(d: &str) -> Value {
        json!({ "type": "string", "description": d })
    }

    pub(super) fn ids(d: &str) -> Value {
        json!({ "type": "array", "items": super::ID.clone(), "description": d })
    }

    pub(super) fn date(d: &str) -> Value {
        json!({ "type": "string", "format": "date", "description": d })
    }

    pub(super) fn version() -> Value {
        json!({ "type": "integer", "description": "读取时的版本号，防止覆盖他人的更新" })
    }
}

/// The bodies of assessment, appeals, accounts, the calendar, types,
/// indicators and leaders, apart so each `json!` stays within the macro's
/// default recursion limit.
fn more_schemas() -> Value {
    let (text, ids, date, version) = (field::text, field::ids, field::date, field::version());
    json!({
        "AssessmentRules": assessment_rules_schema(),
        "CreateInspection": {
            "type": "object",
            "required": ["unit_id", "kind", "date", "finding"],
            "additionalProperties": false,
            "properties": {
                "unit_id": { "type": "integer", "minimum": 1, "description": "被督查单位" },
                "matter_id": { "type": "integer", "minimum": 1, "nullable": true, "description": "相关事项（可不填）" },
                "kind": { "type": "string", "enum": ["onsite", "phone", "unannounced", "现场督查", "电话督查", "明查暗访"], "description": "督查方式：onsite 现场督查、phone 电话督查、unannounced 明查暗访（也可写中文）" },
                "date": date("督查日期，不晚于今天"),
                "finding": text("发现的情况"),
                "points": { "type": "number", "minimum": 0, "maximum": 100, "description": "考核扣分，默认 0" },
                "major": { "type": "boolean", "description": "重大问题：扣分不受本项权重封顶" },
            },
        },
        "CreateSummons": {
            "type": "object",
            "required": ["unit_id", "date", "reason"],
            "additionalProperties": false,
            "properties": {
                "unit_id": { "type": "integer", "minimum": 1, "description": "被约谈单位" },
                "date": date("约谈日期，不晚于今天"),
                "reason": text("约谈事由"),
            },
        },
        "CreateAppeal": {
            "type": "object",
            "required": ["content", "location", "contact"],
            "additionalProperties": false,
            "properties": {
                "title": text("标题，不填取内容开头"),
                "content": text("反映的问题"),
                "location": text("问题发生地点"),
                "contact": text("联系方式"),
            },
        },
        "AcceptAppeal": {
            "type": "object",
            "required": ["type", "lead"],
            "additionalProperties": false,
            "properties": {
                "title": text("事项标题，不填取诉求标题"),
                "type": { "type": "string", "description": "事项类型：普通、重大、持续，或启用中的自定义类型名称" },
                "deadline": date("截止日期"),
                "lead": ids("牵头单位编号"),
                "co": ids("配合单位编号"),
                "version": version,
            },
        },
        "RejectAppeal": {
            "type": "object",
            "required": ["reason"],
            "additionalProperties": false,
            "properties": { "reason": text("不予受理的理由（诉求人可见）"), "version": version },
        },
        "CreateUser": {
            "type": "object",
            "required": ["login", "name", "role", "password"],
            "additionalProperties": false,
            "properties": {
                "login": text("登录名，不含空格"),
                "name": text("姓名（分管领导的姓名用于对应领导班子分工）"),
                "role": { "type": "string", "enum": ["office", "admin", "unit_head", "liaison", "handler", "leader", "public", "auditor", "security"] },
                "unit_id": { "type": "integer", "minimum": 1, "description": "所属单位编号：第一责任人、联络员、承办人必填，其他角色不填" },
                "email": text("邮箱，用于提醒"),
                "password": { "type": "string", "minLength": 8, "description": "初始密码，须符合密码规则；用户首次登录须修改" },
            },
        },
        "SecuritySettings": {
            "type": "object",
            "required": ["accounts"],
            "additionalProperties": false,
            "properties": {
                "accounts": account_changes_schema(),
            },
        },
        "TotpCode": {
            "type": "object",
            "required": ["code"],
            "additionalProperties": false,
            "properties": { "code": text("验证器上当前的 6 位数字") },
        },
        "ChangePassword": {
            "type": "object",
            "required": ["current_password", "new_password"],
            "additionalProperties": false,
            "properties": {
                "current_password": text("当前密码"),
                "new_password": text("新密码，须符合密码规则"),
            },
        },
        "ResetPassword": {
            "type": "object",
            "required": ["password"],
            "additionalProperties": false,
            "properties": { "password": text("新密码，须符合密码规则；用户下次登录须修改") },
        },
        "IssueToken": {
            "type": "object",
            "required": ["name"],
            "additionalProperties": false,
            "properties": { "name": text("令牌名称，写明用途，如“政务平台对接”；不超过 50 个字") },
        },
        "UserActive": {
            "type": "object",
            "required": ["active"],
            "additionalProperties": false,
            "properties": { "active": { "type": "boolean", "description": "false 停用，true 启用" } },
        },
    })
}

/// The bodies of the calendar, matter types, indicators and the division
/// of work, apart so each `json!` stays within the recursion limit.
fn setting_schemas() -> Value {
    let (text, ids, date) = (field::text, field::ids, field::date);
    let _ = (ids, date);
    json!({
        "CalendarYear": {
            "type": "object",
            "required": ["holidays", "workdays"],
            "additionalProperties": false,
            "properties": {
                "source": text("数据来源：放假通知及其发文字号"),
                "holidays": { "type": "array", "items": { "type": "string", "format": "date" }, "description": "放假日（含假期中的周末）" },
                "workdays": { "type": "array", "items": { "type": "string", "format": "date" }, "description": "调休上班的周末" },
            },
        },
        "CalendarNotice": {
            "type": "object",
            "required": ["text"],
            "additionalProperties": false,
            "properties": {
                "text": text("国务院办公厅关于20XX年部分节假日安排的通知全文"),
                "apply": { "type": "boolean", "description": "为 true 时录入；默认只识别和对照" },
            },
        },
        "MatterTypeBody": {
            "type": "object",
            "additionalProperties": false,
            "description": "新建时须有 name、counting，以及 resolve 或 schedule；修改时只写要改的项。",
            "properties": {
                "name": { "type": "string", "minLength": 1, "maxLength": 20, "pattern": "\\S", "description": "类型名称，不超过20字；修改时如填写须与路径中的名称相同" },
                "counting": { "type": "string", "enum": ["working", "calendar", "工作日", "自然日"], "description": "计日方式" },
                "deploy_days": { "type": "integer", "minimum": 0, "maximum": crate::types::MAX_DAYS, "description": "签收部署时限（天），0 为当天" },
                "report_days": { "type": "integer", "minimum": 0, "maximum": crate::types::MAX_DAYS, "description": "首次反馈时限（天），不少于部署时限" },
                "resolve": {
                    "type": "object",
                    "nullable": true,
                    "minProperties": 1,
                    "maxProperties": 1,
                    "additionalProperties": false,
                    "properties": {
                        "days": { "type": "integer", "minimum": 0, "maximum": crate::types::MAX_DAYS },
                        "months": { "type": "integer", "minimum": 1, "maximum": crate::types::MAX_MONTHS },
                    },
                    "description": "办结时限：{\"days\": 7} 或 {\"months\": 1}；null 为不设（持续推进至事项的完成时限）",
                },
                "schedule": {
                    "nullable": true,
                    "oneOf": [
                        { "type": "string", "enum": ["quarterly"] },
                        {
                            "type": "object",
                            "required": ["monthly"],
                            "additionalProperties": false,
                            "properties": { "monthly": {
                                "type": "object",
                                "required": ["day"],
                                "additionalProperties": false,
                                "properties": { "day": { "type": "integer", "minimum": 1, "maximum": 31 } },
                            } },
                        },
                    ],
                    "description": "报送节点：\"quarterly\"（每季度）或 {\"monthly\": {\"day\": 23}}（每月23日前）；null 为不设",
                },
                "near_days": { "type": "integer", "minimum": 0, "maximum": crate::types::MAX_DAYS, "description": "到期前几天亮黄灯" },
                "active": { "type": "boolean", "description": "是否可用于新事项；false 为停用" },
            },
        },
        "IndicatorValue": {
            "type": "object",
            "required": ["period", "value"],
            "additionalProperties": false,
            "properties": {
                "period": { "type": "string", "pattern": "^20[0-9]{2}(-(0[1-9]|1[0-2])|[Qq][1-4])$", "description": "期间：按月如 2024-03，按季度如 2024Q1" },
                "value": {
                    "oneOf": [
                        { "type": "number" },
                        { "type": "string", "pattern": "^\\s*-?[0-9][0-9,]*(\\.[0-9]+)?\\s*$" },
                    ],
                    "description": "数值（数字，或写成数字的文字，可带千分位逗号）",
                },
                "note": { "type": "string", "maxLength": 500, "description": "说明，不超过500字" },
            },
        },
        "DivisionOfWork": {
            "type": "object",
            "required": ["text"],
            "additionalProperties": false,
            "properties": {
                "text": text("领导班子分工文件的正文"),
                "apply": { "type": "boolean", "description": "true 时设置对应上的领导的分管单位；默认只预览" },
            },
        },
    })
}

/// The account rules a security admin may change, each number within the
/// bounds the handler keeps (`security::BOUNDS`), none required.
fn account_changes_schema() -> Value {
    let mut properties = Map::new();
    for (field, what, min, max) in crate::security::BOUNDS {
        properties.insert(
            field.into(),
            json!({ "type": "integer", "minimum": min, "maximum": max, "description": what }),
        );
    }
    properties.insert(
        "totp_for_admins".into(),
        json!({ "type": "boolean", "description": "三员（系统、安全、审计管理员）登录须用动态口令" }),
    );
    json!({
        "type": "object",
        "additionalProperties": false,
        "description": "要修改的规则；未给出的规则不变",
        "properties": properties,
    })
}

/// A record's number in a body.
static ID: std::sync::LazyLock<Value> =
    std::sync::LazyLock::new(|| json!({ "type": "integer", "minimum": 1 }));

/// Makes the bodies' schemas as strict as the handlers: every integer fits
/// 64 bits, every text within the length limit, and a required text says
/// something (the handlers refuse a blank one).
fn tighten(schema: &mut Value) {
    let Value::Object(map) = schema else {
        if let Value::Array(items) = schema {
            items.iter_mut().for_each(tighten);
        }
        return;
    };
    if map.get("type").and_then(Value::as_str) == Some("object") {
        let required: Vec<String> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(Value::Object(props)) = map.get_mut("properties") {
            for (name, prop) in props.iter_mut() {
                let plain_text = prop.get("type").and_then(Value::as_str) == Some("string")
                    && prop.get("enum").is_none()
                    && prop.get("format").is_none()
                    && prop.get("pattern").is_none();
                if plain_text && required.contains(name) && prop.get("minLength").is_none() {
                    prop["minLength"] = json!(1);
                    prop["pattern"] = json!("\\S");
                }
                if plain_text && name != "base64" && prop.get("maxLength").is_none() {
                    prop["maxLength"] = json!(crate::limits::MAX_TEXT_CHARS);
                }
            }
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("integer") {
        map.entry("minimum").or_insert(json!(i64::MIN));
        map.entry("maximum").or_insert(json!(i64::MAX));
    }
    map.values_mut().for_each(tighten);
}

/// The request bodies written here and the typed views' schemas derived
/// from their types (`crate::views`).
fn all_schemas() -> Value {
    let mut all = schemas();
    if let Value::Object(all) = &mut all {
        // The bodies as strict as their handlers; not the answers (the
        // error, whose message may quote what was sent, and the views).
        all.values_mut().for_each(tighten);
        // A refusal that may carry more than its words (an import's
        // report row by row) or only them (a rule of the store).
        all.insert(
            "ImportRefusedViewOrError".into(),
            json!({ "anyOf": [
                { "$ref": "#/components/schemas/ImportRefusedView" },
                { "$ref": "#/components/schemas/Error" },
            ] }),
        );
        let error = <crate::error::ErrorBody as utoipa::PartialSchema>::schema();
        all.insert(
            "Error".into(),
            serde_json::to_value(error).expect("a schema serialises"),
        );
        for (name, schema) in crate::views::schemas() {
            all.insert(
                name,
                serde_json::to_value(schema).expect("a schema serialises"),
            );
        }
    }
    all
}

/// The whole OpenAPI document: the operations registered with their
/// handlers (`crate::documented`), completed by rule ([`complete`]), with
/// the request bodies' schemas and the views'.
pub fn document() -> Value {
    let generated = crate::documented().into_openapi();
    let generated = serde_json::to_value(generated).expect("the document serialises");
    let mut paths: Map<String, Value> = generated["paths"].as_object().cloned().unwrap_or_default();
    for item in paths.values_mut() {
        for (method, op) in item.as_object_mut().into_iter().flatten() {
            complete(method, op);
        }
    }
    let mut schemas = all_schemas();
    if let (Value::Object(all), Some(more)) =
        (&mut schemas, generated["components"]["schemas"].as_object())
    {
        for (name, schema) in more {
            all.entry(name.clone()).or_insert_with(|| schema.clone());
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Duban 督查督办 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "督查督办系统的接口。出错时返回 {\"error\": \"…\"}，说明原因和处理办法。登录后用会话 Cookie（非 GET 请求另带 X-CSRF-Token 请求头），或用 Authorization: Bearer 令牌。",
        },
        "servers": [{ "url": "/" }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "cookieAuth": { "type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE },
                "csrfToken": { "type": "apiKey", "in": "header", "name": crate::auth::CSRF_HEADER },
                "bearerAuth": { "type": "http", "scheme": "bearer" },
            },
        },
    })
}

/// What an operation's annotation implies by rule: how to authenticate
/// (from its `x-roles`: none for anyone, the session cookie or a token
/// otherwise, with the CSRF token for a change), and that its body, where
/// it takes one, must be sent.
fn complete(method: &str, op: &mut Value) {
    let anyone = op["x-roles"] == json!(ANYONE);
    let unsafe_method = !matches!(method, "get" | "head" | "options");
    op["security"] = match () {
        _ if anyone => json!([]),
        _ if unsafe_method => json!([{ "cookieAuth": [], "csrfToken": [] }, { "bearerAuth": [] }]),
        _ => json!([{ "cookieAuth": [] }, { "bearerAuth": [] }]),
    };
    if op["requestBody"].is_object() {
        op["requestBody"]["required"] = json!(true);
    }
    // The answers every operation of a kind gives, by rule: an address
    // too long for the server (any operation), no session (one that needs
    // a logged-in user), the per-user write limit (a write by one).
    // An annotation that says more about one of them keeps its words.
    let refusal = |description: &str| {
        json!({
            "description": description,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
        })
    };
    let Some(responses) = op["responses"].as_object_mut() else {
        return;
    };
    responses
        .entry("414")
        .or_insert_with(|| json!({ "description": "请求地址过长" }));
    if !anyone {
        responses.entry("401").or_insert_with(|| refusal("未登录"));
        if unsafe_method {
            responses
                .entry("429")
                .or_insert_with(|| refusal("提交过于频繁，请稍等一分钟后再试"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` of `v`.
    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_operation_says_what_it_does_who_may_call_it_and_its_path_parameters() {
        let doc = document();
        let mut ids = std::collections::HashSet::new();
        let mut count = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                count += 1;
                let what = format!("{method} {path}");
                assert!(
                    op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                    "{what}"
                );
                assert!(
                    op["description"].as_str().is_some_and(|s| !s.is_empty()),
                    "{what}"
                );
                assert_eq!(op["tags"].as_array().map(Vec::len), Some(1), "{what}");
                assert!(
                    ids.insert(op["operationId"].to_string()),
                    "{what}: operationId twice"
                );
                assert!(
                    op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                    "{what}"
                );
                let roles = op["x-roles"].as_array().expect("x-roles");
                assert!(
                    !roles.is_empty() && roles.iter().all(Value::is_string),
                    "{what}"
                );
                let in_path: Vec<&str> = path
                    .split('/')
                    .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                    .collect();
                let declared: Vec<&str> = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["in"] == "path")
                    .map(|p| {
                        assert_eq!(p["required"], true, "{what}");
                        p["name"].as_str().unwrap()
                    })
                    .collect();
                assert_eq!(in_path, declared, "{what}");
            }
        }
        assert!(count > 80, "{count}");
        // Every schema named (a request body by its name) is there.
        let mut all = Vec::new();
        refs(&doc, &mut all);
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for r in all {
            let name = r.strip_prefix("#/components/schemas/").expect(r);
            assert!(schemas.contains_key(name), "{r}");
        }
        assert_eq!(
            doc["paths"]["/api/v1/matters"]["get"]["summary"],
            "督办事项看板"
        );
        assert_eq!(
            doc["paths"]["/api/v1/units"]["post"]["x-roles"],
            json!(["admin"])
        );
        assert_eq!(
            doc["paths"]["/api/v1/matters/{id}/withdraw"]["post"]["security"],
            json!([{ "cookieAuth": [], "csrfToken": [] }, { "bearerAuth": [] }])
        );
        assert_eq!(doc["paths"]["/healthz"]["get"]["security"], json!([]));
    }

    #[test]
    fn the_documented_bodies_have_the_fields_their_types_read() {
        use std::collections::BTreeSet;
        use utoipa::PartialSchema;
        let doc = document();
        let schemas = &doc["components"]["schemas"];
        let names = |s: &Value| -> BTreeSet<String> {
            s["properties"]
                .as_object()
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default()
        };
        let derived = |s: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>| {
            serde_json::to_value(s).expect("a schema serialises")
        };
        // A track action: one variant per action, each with every field
        // the type reads and no other.
        let body = derived(crate::tracks::TrackActionBody::schema());
        assert!(names(&body).contains("files"), "{body}");
        let variants = schemas["TrackAction"]["oneOf"].as_array().unwrap();
        assert_eq!(
            variants.len(),
            duban_domain::workflow::ActionKind::ALL.len()
        );
        for v in variants {
            assert_eq!(names(v), names(&body), "{v}");
            assert_eq!(v["additionalProperties"], false, "{v}");
        }
        assert_eq!(
            names(&variants[0]["properties"]["files"]["items"]),
            names(&derived(crate::tracks::FileUpload::schema()))
        );
        assert_eq!(
            names(&schemas["IndicatorValue"]),
            names(&derived(crate::indicators::IndicatorValueBody::schema()))
        );
        assert_eq!(
            names(&schemas["SecuritySettings"]),
            names(&derived(crate::security::SecuritySettingsBody::schema()))
        );
        // The rules one may change are the rules there are.
        let changes = names(&derived(crate::security::AccountChanges::schema()));
        let accounts = &schemas["SecuritySettings"]["properties"]["accounts"];
        assert_eq!(names(accounts), changes);
        let rules = serde_json::to_value(crate::config::Accounts::default()).unwrap();
        let rules: BTreeSet<String> = rules.as_object().unwrap().keys().cloned().collect();
        assert_eq!(rules, changes);
        assert_eq!(accounts["properties"]["lock_minutes"]["maximum"], 1440);
    }
}
