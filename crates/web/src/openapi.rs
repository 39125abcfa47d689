//! The OpenAPI 3.0 document at `/api/openapi.json`, built from one route
//! table ([`ROUTES`]): every endpoint the server answers, with its summary
//! in Chinese, who may call it, its parameters, its request body and its
//! responses. The API tests hold the table and the routers to each other: a
//! route served but not listed, or listed but not served, fails them.

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

/// The words a query parameter takes, each list a type whose schema (the
/// parameter's, `inline(...)` in its handler's `#[utoipa::path]`) lists
/// exactly them.
pub mod words {
    use utoipa::ToSchema;

    /// 公文效力（in_force）
    #[derive(ToSchema)]
    pub enum InForce {
        #[serde(rename = "有效")]
        InForce,
        #[serde(rename = "true")]
        True,
        #[serde(rename = "已修改")]
        Amended,
        #[serde(rename = "已失效")]
        Expired,
        #[serde(rename = "已废止")]
        Repealed,
    }

    /// 搜索的类别（kind）
    #[derive(ToSchema)]
    pub enum SearchKind {
        #[serde(rename = "document")]
        Document,
        #[serde(rename = "matter")]
        Matter,
        #[serde(rename = "report")]
        Report,
        #[serde(rename = "appeal")]
        Appeal,
    }

    /// 灯色（light）
    #[derive(ToSchema)]
    pub enum Light {
        #[serde(rename = "green")]
        Green,
        #[serde(rename = "yellow")]
        Yellow,
        #[serde(rename = "red")]
        Red,
        #[serde(rename = "done")]
        Done,
        #[serde(rename = "unknown")]
        Unknown,
    }

    /// 待审核的申请（pending）
    #[derive(ToSchema)]
    pub enum Pending {
        #[serde(rename = "extension")]
        Extension,
    }

    /// 承办角色（role）
    #[derive(ToSchema)]
    pub enum UnitRole {
        #[serde(rename = "lead")]
        Lead,
        #[serde(rename = "co")]
        Co,
    }

    /// 看板的排序（sort）
    #[derive(ToSchema)]
    pub enum BoardSort {
        #[serde(rename = "-created")]
        NewestFirst,
        #[serde(rename = "created")]
        Created,
        #[serde(rename = "deadline")]
        Deadline,
        #[serde(rename = "-deadline")]
        DeadlineLatestFirst,
        #[serde(rename = "due")]
        Due,
    }

    /// 事项来源（source）
    #[derive(ToSchema)]
    pub enum SourceKind {
        #[serde(rename = "document")]
        Document,
        #[serde(rename = "meeting")]
        Meeting,
        #[serde(rename = "instruction")]
        Instruction,
        #[serde(rename = "list")]
        List,
        #[serde(rename = "appeal")]
        Appeal,
    }

    /// 任务办理状态（state）
    #[derive(ToSchema)]
    pub enum TrackState {
        #[serde(rename = "assigned")]
        Assigned,
        #[serde(rename = "signed_for")]
        SignedFor,
        #[serde(rename = "close_requested")]
        CloseRequested,
        #[serde(rename = "returned")]
        Returned,
        #[serde(rename = "closed")]
        Closed,
        #[serde(rename = "withdrawn")]
        Withdrawn,
    }

    /// 事项状态（status）
    #[derive(ToSchema)]
    pub enum MatterStatus {
        #[serde(rename = "open")]
        Open,
        #[serde(rename = "closed")]
        Closed,
        #[serde(rename = "withdrawn")]
        Withdrawn,
    }

    /// 诉求状态（status）
    #[derive(ToSchema)]
    pub enum AppealStatus {
        #[serde(rename = "pending")]
        Pending,
        #[serde(rename = "accepted")]
        Accepted,
        #[serde(rename = "rejected")]
        Rejected,
    }

    /// 事项类型（type）
    #[derive(ToSchema)]
    pub enum MatterKind {
        #[serde(rename = "ordinary")]
        Ordinary,
        #[serde(rename = "major")]
        Major,
        #[serde(rename = "continuing")]
        Continuing,
        #[serde(rename = "custom")]
        Custom,
        #[serde(rename = "普通")]
        OrdinaryZh,
        #[serde(rename = "重大")]
        MajorZh,
        #[serde(rename = "持续")]
        ContinuingZh,
    }
}

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

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not.
    Anyone,
    /// Any logged-in user; what they see may be scoped by role.
    LoggedIn,
    /// Logged-in users with one of these roles (`org::Role` codes); some
    /// endpoints narrow further by the resource (stated in `description`).
    Roles(&'static [&'static str]),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    Path,
    Query,
}

/// A parameter of an endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub location: In,
    /// What values it takes.
    pub ty: Ty,
    /// Whether it must be given (path parameters always are).
    pub required: bool,
    pub description: &'static str,
}

/// One endpoint.
#[derive(Debug, Clone, Copy)]
pub struct RouteDoc {
    pub method: &'static str,
    /// The path as the router has it (`{id}` for a parameter, as in
    /// OpenAPI).
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub access: Access,
    pub params: &'static [Param],
    /// The request body's schema, by name in `components.schemas`.
    pub body: Option<&'static str>,
    /// The responses: status code and what it means.
    pub responses: &'static [(u16, &'static str)],
}

/// The values a parameter takes, as exact as the handler reads them, so a
/// client (or a fuzzer) that keeps to the schema is never refused for the
/// parameter's form: only for what the data says (422) or where it is not
/// allowed (403/404).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// A record's number: a positive integer.
    Id,
    /// Any integer.
    Int,
    /// An integer from `.0` to `.1` inclusive.
    Range(i64, i64),
    /// An integer from `.0` up.
    AtLeast(i64),
    Bool,
    /// A date, YYYY-MM-DD.
    Date,
    /// Free text.
    Text,
    /// Free text that must say something: 1 to `.0` characters, not only
    /// spaces.
    Words(u32),
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// Record numbers separated by commas.
    Ids,
    /// A month `2024-09`, a quarter `2024Q3` or a year `2024`.
    Period,
    /// Text of this form (a regular expression).
    Pattern(&'static str),
}

impl Ty {
    fn schema(self) -> Value {
        match self {
            Ty::Id => json!({ "type": "integer", "format": "int64", "minimum": 1 }),
            Ty::Int => json!({ "type": "integer", "format": "int64" }),
            Ty::Range(min, max) => json!({ "type": "integer", "minimum": min, "maximum": max }),
            Ty::AtLeast(min) => json!({ "type": "integer", "format": "int64", "minimum": min }),
            Ty::Bool => json!({ "type": "boolean" }),
            Ty::Date => json!({ "type": "string", "format": "date" }),
            Ty::Text => json!({ "type": "string", "maxLength": crate::limits::MAX_TEXT_CHARS }),
            Ty::Words(max) => {
                json!({ "type": "string", "minLength": 1, "maxLength": max, "pattern": "\\S" })
            }
            Ty::OneOf(words) => json!({ "type": "string", "enum": words }),
            Ty::Ids => json!({ "type": "string", "pattern": "^[0-9]{1,18}(,[0-9]{1,18})*$" }),
            Ty::Pattern(p) => json!({ "type": "string", "pattern": p }),
            Ty::Period => json!({
                "type": "string",
                "pattern": "^(19|2[0-9])[0-9]{2}(-(0[1-9]|1[0-2])|[Qq][1-4])?$",
            }),
        }
    }
}

const fn path_id(description: &'static str) -> Param {
    Param {
        name: "id",
        location: In::Path,
        ty: Ty::Id,
        required: true,
        description,
    }
}

const fn path(name: &'static str, ty: Ty, description: &'static str) -> Param {
    Param {
        name,
        location: In::Path,
        ty,
        required: true,
        description,
    }
}

const fn query(name: &'static str, ty: Ty, description: &'static str) -> Param {
    Param {
        name,
        location: In::Query,
        ty,
        required: false,
        description,
    }
}

const fn required(name: &'static str, ty: Ty, description: &'static str) -> Param {
    Param {
        name,
        location: In::Query,
        ty,
        required: true,
        description,
    }
}

const PAGE: [Param; 2] = [
    query("limit", Ty::Range(1, 200), "每页条数，1–200，默认 50"),
    query("offset", Ty::AtLeast(0), "起始位置，默认 0"),
];

pub const OFFICE: &[&str] = &["office", "admin"];
pub const GOVERNMENT: &[&str] = &[
    "office",
    "admin",
    "unit_head",
    "liaison",
    "handler",
    "leader",
];
pub const TRACK_ACTORS: &[&str] = &["office", "admin", "unit_head", "liaison", "handler"];
pub const APPEAL_READERS: &[&str] = &["office", "admin", "public"];

/// The path parameters of one indicator.
const INDICATOR_PATH: [Param; 2] = [
    Param {
        name: "matter_id",
        location: In::Path,
        ty: Ty::Id,
        required: true,
        description: "事项编号",
    },
    Param {
        name: "index",
        location: In::Path,
        ty: Ty::Range(0, 1000),
        required: true,
        description: "指标序号：事项量化指标中的位置，从 0 开始",
    },
];

/// Who sees bulletins and rankings: the office and leaders.
pub const OVERSIGHT: &[&str] = &["office", "admin", "leader"];
const REPORT_SCOPE: &str = "某期间（月、季度、年）交办的任务的办理情况：交办、按时签收、按时反馈、按时办结、逾期、退回、延期，分单位和合计；逾期清单及逾期天数；按规则表扬和批评的单位。按判定日计算，判定日之后的办理不计。督查室看全部单位，分管领导看分管单位。";
const YEAR: Param = Param {
    name: "year",
    location: In::Path,
    ty: Ty::Range(2000, 2100),
    required: true,
    description: "考核年度，如 2024",
};

/// Every endpoint of the server.
pub static ROUTES: &[RouteDoc] = &[
    RouteDoc {
        method: "GET",
        path: "/api/v1/messages",
        tag: "会话",
        summary: "我的消息",
        description: "与我有关的新动态：本单位任务的交办、退回、催办、批示、时限调整等（由本单位以外的人或系统所为），临近时限的任务；督查室另有各单位的办结和延期申请。最新的在前，每页至多 100 条，按游标翻页（next）；unread 为最新 100 条中的未读条数。",
        access: Access::LoggedIn,
        params: &[
            query("after", Ty::Pattern("^[0-9]{1,18}\\.(e[1-9][0-9]{0,17}|due:[1-9][0-9]{0,17}:[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8]))$"), "按游标翻页：上一页返回的 next"),
            query("limit", Ty::Range(1, 100), "每页条数，1–100，默认 100"),
        ],
        body: None,
        responses: &[(200, "消息和未读条数"), (401, "未登录"), (422, "翻页参数有误")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/messages/read",
        tag: "会话",
        summary: "标为已读",
        description: "把 keys 中的消息标为已读；all 为 true 时全部标为已读。",
        access: Access::LoggedIn,
        params: &[],
        body: Some("ReadMessages"),
        responses: &[(200, "剩余未读条数"), (400, "请求体有误"), (401, "未登录")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/units",
        tag: "单位",
        summary: "单位名录",
        description: "全部单位及其别名。",
        access: Access::LoggedIn,
        params: &[],
        body: None,
        responses: &[(200, "单位列表"), (401, "未登录")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/units",
        tag: "单位",
        summary: "添加单位",
        description: "仅系统管理员。",
        access: Access::Roles(&["admin"]),
        params: &[],
        body: Some("CreateUnit"),
        responses: &[
            (200, "已添加"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (409, "单位已存在，或别名已属于其他单位"),
            (422, "名称或别名不足两个字，或上级单位不存在"),
        ],
    },
    RouteDoc {
        method: "PATCH",
        path: "/api/v1/units/{id}",
        tag: "单位",
        summary: "修改单位类别或别名",
        description: "仅系统管理员。只写要改的项；别名不能是其他单位的名称或别名（同一单位请合并）。",
        access: Access::Roles(&["admin"]),
        params: &[path_id("单位编号")],
        body: Some("EditUnit"),
        responses: &[
            (200, "已修改"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (404, "单位不存在"),
            (409, "别名已属于其他单位"),
            (422, "别名不足两个字"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/units/{id}/merge",
        tag: "单位",
        summary: "合并单位",
        description: "仅系统管理员。把单位 {id} 并入 into：其任务、用户、分管领导、督查记录、约谈、指标填报和统计转到 into，名称和别名成为 into 的别名，单位 {id} 删除；事件日志记录合并。两个单位同在一个事项中时拒绝（先改派）。",
        access: Access::Roles(&["admin"]),
        params: &[path_id("被合并（删除）的单位编号")],
        body: Some("MergeUnit"),
        responses: &[
            (200, "已合并"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (404, "单位不存在"),
            (409, "两个单位同在某个事项中"),
            (422, "合并到自身"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/units/resolve",
        tag: "单位",
        summary: "单位名称解析",
        description: "把公文中写的单位名称对应到名录中的单位；找不到时给出最接近的候选。",
        access: Access::LoggedIn,
        params: &[required("name", Ty::Text, "公文中写的单位名称")],
        body: None,
        responses: &[(200, "解析结果"), (400, "缺少 name"), (401, "未登录")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/sources",
        tag: "公文",
        summary: "已上传的文件",
        description: "上传过的公报或公文文件，及其中识别出的公文数。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[],
        body: None,
        responses: &[(200, "文件列表"), (401, "未登录"), (403, "不是督查室")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/sources",
        tag: "公文",
        summary: "上传公报或公文",
        description: "请求体为文件本身：文本（UTF-8、GB18030/GBK 或带 BOM 的 UTF-16）、Word（.docx；安装 LibreOffice 后也可读 .doc/.wps）、PDF（须有文字层）或 OFD，按内容识别格式。识别其中的公文和任务（任务分解表逐行成为任务），单位名称对应到单位名录，生成待确认的拟办任务。内容与已上传文件完全相同时返回 409，确认后以 again=true 再次上传。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[
            query("name", Ty::Text, "文件名，显示在列表中"),
            query("again", Ty::Bool, "内容与已上传的文件相同时仍再次读取"),
        ],
        body: Some("UploadedFile"),
        responses: &[
            (200, "已识别：公文数、拟办任务数、任务表数、未匹配的单位名称"),
            (400, "文件过大或请求有误"),
            (401, "未登录"),
            (403, "不是督查室"),
            (409, "与已上传的文件内容相同"),
            (422, "文件为空、损坏、加密、无文字层（扫描件）或格式不支持"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/sources/{id}",
        tag: "公文",
        summary: "文件详情",
        description: "一个上传文件及其中的公文。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[path_id("文件编号")],
        body: None,
        responses: &[(200, "文件及其公文"), (400, "编号有误"), (401, "未登录"), (403, "不是督查室"), (404, "文件不存在")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/documents/{id}",
        tag: "公文",
        summary: "公文及其拟办任务",
        description: "公文的文号、标题、发文机关、日期，识别出的拟办任务；lines=true 时附原文行。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[
            path_id("公文编号"),
            query("lines", Ty::Bool, "附上公文的原文行"),
        ],
        body: None,
        responses: &[(200, "公文和拟办任务"), (400, "编号有误"), (401, "未登录"), (403, "不是督查室"), (404, "公文不存在")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/documents/{id}/confirm-all",
        tag: "公文",
        summary: "一键确认拟办任务",
        description: "把公文中单位全部匹配的待确认任务确认为督办事项；其余列出原因，留待逐条处理。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[path_id("公文编号")],
        body: None,
        responses: &[(200, "已确认的和留待处理的"), (400, "编号有误"), (401, "未登录"), (403, "不是督查室"), (404, "公文不存在")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/proposals/{id}/confirm",
        tag: "公文",
        summary: "确认拟办任务",
        description: "把一条拟办任务确认为督办事项并交办，可修改标题、单位、截止日期和类型。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[path_id("拟办任务编号")],
        body: Some("ConfirmProposal"),
        responses: &[
            (200, "已确认，返回拟办任务和事项编号"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是督查室"),
            (404, "拟办任务不存在"),
            (409, "已被他人处理"),
            (422, "单位未匹配、类型未知等"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/proposals/{id}/reject",
        tag: "公文",
        summary: "不予立项或合并",
        description: "不予立项须写明理由；填 merged_into 则合并到已有事项。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[path_id("拟办任务编号")],
        body: Some("RejectProposal"),
        responses: &[
            (200, "已处理"),
            (400, "请求体有误或缺少理由"),
            (401, "未登录"),
            (403, "不是督查室"),
            (404, "拟办任务或事项不存在"),
            (409, "已被他人处理"),
            (422, "状态不允许"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/matters",
        tag: "督办事项",
        summary: "督办事项看板",
        description: "按角色限定范围：督查室和管理员看全部；单位用户看本单位有任务的事项；分管领导看分管单位的事项；企业群众只看由自己的诉求生成的事项。单位、承办角色、办理状态、灯色、时限等条件作用于范围内的任务，事项灯色取这些任务中最差的（红、无法计算、黄、绿；都已办结为已办结）。",
        access: Access::LoggedIn,
        params: &[
            query("unit", Ty::Ids, "单位编号，多个用逗号分隔"),
            query("leader", Ty::Id, "分管领导的用户编号：只看其分管单位"),
            query("source", Ty::OneOf(&["document", "meeting", "instruction", "list", "appeal"]), "来源：document、meeting、instruction、list、appeal"),
            query("type", Ty::OneOf(&["ordinary", "major", "continuing", "custom", "普通", "重大", "持续"]), "事项类型：ordinary、major、continuing、custom（或 普通、重大、持续）"),
            query("status", Ty::OneOf(&["open", "closed", "withdrawn"]), "事项状态：open、closed、withdrawn"),
            query("state", Ty::OneOf(&["assigned", "signed_for", "close_requested", "returned", "closed", "withdrawn"]), "任务办理状态：assigned、signed_for、close_requested、returned、closed、withdrawn"),
            query("light", Ty::OneOf(&["green", "yellow", "red", "done", "unknown"]), "灯色：green、yellow、red、done、unknown（日历缺年份无法计算）"),
            query("role", Ty::OneOf(&["lead", "co"]), "承办角色：lead（牵头）、co（配合）"),
            query("deadline_from", Ty::Date, "事项截止日期不早于"),
            query("deadline_to", Ty::Date, "事项截止日期不晚于"),
            query("due_by", Ty::Date, "有未办时限在该日或之前"),
            query("q", Ty::Text, "标题包含的文字"),
            query("sort", Ty::OneOf(&["-created", "created", "deadline", "-deadline", "due"]), "排序：-created（默认，新的在前）、created、deadline、-deadline、due（时限最近的在前）"),
            PAGE[0],
            PAGE[1],
            query("after", Ty::Pattern("^([1-9][0-9]{0,17}|(deadline|-deadline|due)\\.([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|none)\\.[1-9][0-9]{0,17})$"), "按游标翻页：上一页返回的 next（排序不变）；不能与 offset 同用"),
        ],
        body: None,
        responses: &[(200, "一页事项和符合条件的总数"), (400, "查询参数有误"), (401, "未登录")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/matters",
        tag: "督办事项",
        summary: "新建督办事项",
        description: "督查室录入并交办：标题、内容、类型（普通/重大/持续）、来源、截止日期、牵头单位和配合单位。每个单位生成一条任务，按13710时限计算。",
        access: Access::Roles(OFFICE),
        params: &[],
        body: Some("CreateMatter"),
        responses: &[
            (201, "已交办"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是督查室"),
            (422, "内容不符合要求（如单位不存在、缺牵头单位、日历缺少年份）"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/matters/{id}",
        tag: "督办事项",
        summary: "事项详情",
        description: "事项、各单位任务（灯色、13710 各项时限、未办时限）、反馈记录和日志。范围同看板，范围外的事项返回 404；企业群众只看到办理状态和办结答复。",
        access: Access::LoggedIn,
        params: &[path_id("事项编号")],
        body: None,
        responses: &[(200, "事项详情"), (400, "编号有误"), (401, "未登录"), (404, "事项不存在或不在查看范围内")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/matters/{id}/withdraw",
        tag: "督办事项",
        summary: "撤销事项",
        description: "督查室撤销事项：未办结的任务全部撤销，记录理由；不删除任何记录。",
        access: Access::Roles(OFFICE),
        params: &[path_id("事项编号")],
        body: Some("Withdraw"),
        responses: &[
            (200, "已撤销"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是督查室"),
            (404, "事项不存在或不在查看范围内"),
            (409, "事项已被他人更新"),
            (422, "已办结或已撤销，或缺少理由"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/matters/{id}/urge",
        tag: "督办事项",
        summary: "催办",
        description: "督查室催办事项：向所列单位（units，缺省为全部未办结的承办单位）各发一份催办单，按年编号（催字〔2026〕3号），记入日志，并由巡检按已配置的渠道（邮件、Webhook）通知单位。",
        access: Access::Roles(OFFICE),
        params: &[path_id("事项编号")],
        body: Some("Urge"),
        responses: &[
            (200, "已催办"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是督查室"),
            (404, "事项不存在或不在查看范围内"),
            (409, "事项已被他人更新"),
            (422, "已办结或已撤销、缺少催办内容，或所列单位没有正在办理的任务"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/matters/{id}/reassign",
        tag: "督办事项",
        summary: "改派",
        description: "督查室改派事项的牵头单位和配合单位：不再列出的单位的任务撤销（记录理由），角色改变的单位改为新角色，新列出的单位即日交办；日志记录改派前后的单位和理由。",
        access: Access::Roles(OFFICE),
        params: &[path_id("事项编号")],
        body: Some("Reassign"),
        responses: &[
            (200, "已改派"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是督查室"),
            (404, "事项不存在或不在查看范围内"),
            (409, "事项已被他人更新"),
            (422, "已办结或已撤销、缺少理由、缺牵头单位、单位不存在或重复，或单位没有变化"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/matters/{id}/deadline",
        tag: "督办事项",
        summary: "调整时限",
        description: "督查室为事项设定新的完成时限，取代原时限和已批准的延期；各未办结任务的时限和灯色随之重算，日志记录原时限、新时限和理由。",
        access: Access::Roles(OFFICE),
        params: &[path_id("事项编号")],
        body: Some("Deadline"),
        responses: &[
            (200, "已调整"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是督查室"),
            (404, "事项不存在或不在查看范围内"),
            (409, "事项已被他人更新"),
            (422, "已办结或已撤销、缺少理由，或新时限早于今天"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/matters/{id}/edit",
        tag: "督办事项",
        summary: "修改事项",
        description: "督查室修改事项标题和内容，日志记录修改前后的内容和理由。",
        access: Access::Roles(OFFICE),
        params: &[path_id("事项编号")],
        body: Some("EditMatter"),
        responses: &[
            (200, "已修改"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是督查室"),
            (404, "事项不存在或不在查看范围内"),
            (409, "事项已被他人更新"),
            (422, "已办结或已撤销、缺少理由，或标题为空或过长"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/matters/{id}/urgings",
        tag: "督办事项",
        summary: "催办记录",
        description: "事项的催办单：督查室和分管领导看全部，承办单位只看发给本单位的。",
        access: Access::Roles(GOVERNMENT),
        params: &[path_id("事项编号")],
        body: None,
        responses: &[(200, "催办记录"), (400, "编号有误"), (401, "未登录"), (403, "企业群众不能查看"), (404, "事项不存在或不在查看范围内")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/matters/{id}/instructions",
        tag: "督办事项",
        summary: "领导批示",
        description: "能查看该事项的领导（分管领导、主要领导）在事项上写批示；批示记入日志，督查室和承办单位在事项详情的 instructions 中看到。",
        access: Access::Roles(&["leader"]),
        params: &[path_id("事项编号")],
        body: Some("Instruction"),
        responses: &[
            (201, "已批示"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是领导"),
            (404, "事项不存在或不在查看范围内"),
            (422, "批示内容为空或过长"),
        ],
    },
    RouteDoc {
        method: "PUT",
        path: "/api/v1/users/{id}/principal",
        tag: "管理",
        summary: "设为主要领导",
        description: "系统管理员把领导设为主要领导（principal: true，查看全区）或取消（false，只看分管单位）；区长、常务副区长在演示数据中已设为主要领导。记入日志。",
        access: Access::Roles(&["admin"]),
        params: &[path_id("用户编号")],
        body: Some("Principal"),
        responses: &[
            (200, "已设置"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (404, "用户不存在"),
            (422, "不是领导，或缺少 principal"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/tracks/{id}/handler",
        tag: "办理任务",
        summary: "交承办人办理",
        description: "单位的第一责任人或联络员把本单位的任务交给本单位的承办人（角色为承办人的用户），可附说明；承办人在“我的待办”（GET /api/v1/tracks?mine=true）中看到并反馈。日志记录交办人、承办人和说明。",
        access: Access::Roles(&["unit_head", "liaison"]),
        params: &[path_id("任务编号")],
        body: Some("PassToHandler"),
        responses: &[
            (200, "已交承办人"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是该单位的第一责任人或联络员"),
            (404, "任务不存在或不在查看范围内"),
            (422, "未选承办人、不是本单位的承办人，或任务已办结"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/stats",
        tag: "统计",
        summary: "督查督办统计",
        description: crate::stats::API_DESCRIPTION,
        access: Access::Roles(GOVERNMENT),
        params: &[
            query("unit", Ty::Ids, "单位编号，多个用逗号分隔（与查看范围取交集）"),
            query("leader", Ty::Id, "分管领导的用户编号：只看其分管单位（仅督查室）"),
            query("overdue", Ty::Range(0, 200), "逾期清单条数，0–200，默认 20"),
            query("months", Ty::Range(1, 36), "月度趋势的月数（含本月），1–36，默认 12"),
        ],
        body: None,
        responses: &[(200, "统计数据"), (400, "查询参数有误"), (401, "未登录"), (403, "企业群众账号，或非督查室按分管领导筛选")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/reports/bulletin",
        tag: "通报考核",
        summary: "督办情况通报",
        description: REPORT_SCOPE,
        access: Access::Roles(OVERSIGHT),
        params: &[
            query("period", Ty::Period, "期间：月 2024-09、季度 2024Q3 或年 2024；默认本季度"),
            query("leader", Ty::Id, "分管领导的用户编号：只看其分管单位（督查室）"),
            query("as_of", Ty::Date, "判定日，默认期间末日（期间未结束时为今天），不能晚于今天"),
            query("overdue", Ty::Range(0, 5000), "逾期清单最多列出的条数（逾期最久的在前），0–5000，默认 200"),
            query("number", Ty::Text, "文号（仅 Word 文件使用）"),
            query("issuer", Ty::Text, "发文机关（仅 Word 文件使用）"),
        ],
        body: None,
        responses: &[(200, "通报：合计、各单位、逾期清单、表扬和批评单位"), (400, "查询参数有误"), (401, "未登录"), (403, "单位用户或企业群众账号，或非督查室按分管领导筛选")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/reports/bulletin.docx",
        tag: "通报考核",
        summary: "督办情况通报（Word）",
        description: "与 /api/v1/reports/bulletin 相同的通报，排成公文格式（GB/T 9704）的 .docx 文件。",
        access: Access::Roles(OVERSIGHT),
        params: &[
            query("period", Ty::Period, "期间：月 2024-09、季度 2024Q3 或年 2024；默认本季度"),
            query("leader", Ty::Id, "分管领导的用户编号：只看其分管单位（督查室）"),
            query("as_of", Ty::Date, "判定日，默认期间末日（期间未结束时为今天），不能晚于今天"),
            query("overdue", Ty::Range(0, 5000), "逾期清单最多列出的条数（逾期最久的在前），0–5000，默认 200"),
            query("number", Ty::Text, "文号，如 督通〔2024〕3号"),
            query("issuer", Ty::Text, "发文机关，默认 区人民政府督查室"),
        ],
        body: None,
        responses: &[(200, "Word 文件"), (400, "查询参数有误"), (401, "未登录"), (403, "单位用户或企业群众账号，或非督查室按分管领导筛选")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/reports/redblack",
        tag: "通报考核",
        summary: "红黑榜",
        description: "按考核规则计算期间得分，在查看范围内取前 n 名（红榜）和后 n 名（黑榜，不含已上红榜的单位）；同分同名次，第 n 名并列的都上榜。",
        access: Access::Roles(OVERSIGHT),
        params: &[
            query("period", Ty::Period, "期间：月、季度或年；默认本年"),
            query("n", Ty::Range(1, 50), "上榜单位数，1–50，默认 5"),
            query("leader", Ty::Id, "分管领导的用户编号（督查室）"),
            query("as_of", Ty::Date, "判定日，默认期间末日（期间未结束时为今天）"),
        ],
        body: None,
        responses: &[(200, "红榜和黑榜，含各单位得分说明"), (400, "查询参数有误"), (401, "未登录"), (403, "单位用户或企业群众账号，或非督查室按分管领导筛选")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/reports/assessment",
        tag: "通报考核",
        summary: "年终考核",
        description: "各单位得分、名次、等次和逐项得分说明（每项列出所依据的任务、督查和约谈记录）。等次在全部单位中按名额确定（名额为上限、向下取整，同分同等次）。督查室看全部，分管领导看分管单位，单位用户看本单位。",
        access: Access::Roles(GOVERNMENT),
        params: &[
            query("year", Ty::Range(2000, 2100), "考核年度，默认本年"),
            query("as_of", Ty::Date, "判定日，默认年末（本年为今天）"),
            query("leader", Ty::Id, "分管领导的用户编号（督查室）"),
        ],
        body: None,
        responses: &[(200, "考核结果"), (400, "查询参数有误"), (401, "未登录"), (403, "企业群众账号，或非督查室按分管领导筛选")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/assessment/rules/{year}",
        tag: "通报考核",
        summary: "考核规则",
        description: "某年度的考核规则（指标、权重、扣分封顶、加分、等次名额、通报表扬批评条件）；未设置时为默认规则（set 为 false）。",
        access: Access::Roles(GOVERNMENT),
        params: &[YEAR],
        body: None,
        responses: &[(200, "考核规则"), (400, "年份有误"), (401, "未登录"), (403, "企业群众账号")],
    },
    RouteDoc {
        method: "PUT",
        path: "/api/v1/assessment/rules/{year}",
        tag: "通报考核",
        summary: "修改考核规则",
        description: "管理员设置某年度的考核规则；权重之和须等于总分，封顶和加分不能为负，等次比例之和不超过 100%，不符合时逐条说明原因（422）。",
        access: Access::Roles(&["admin"]),
        params: &[YEAR],
        body: Some("AssessmentRules"),
        responses: &[(200, "已保存"), (400, "请求体或年份有误"), (401, "未登录"), (403, "不是管理员"), (422, "规则不成立，附原因")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/inspections",
        tag: "通报考核",
        summary: "督查记录",
        description: "现场督查、电话督查、明查暗访的记录，新的在前。督查室看全部，分管领导看分管单位，单位用户看本单位。",
        access: Access::Roles(GOVERNMENT),
        params: &[
            query("from", Ty::Date, "起始日期"),
            query("to", Ty::Date, "截止日期"),
            query("unit", Ty::Ids, "单位编号，多个用逗号分隔"),
            query("leader", Ty::Id, "分管领导的用户编号（督查室）"),
        ],
        body: None,
        responses: &[(200, "督查记录"), (400, "查询参数有误"), (401, "未登录"), (403, "企业群众账号")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/inspections",
        tag: "通报考核",
        summary: "录入督查记录",
        description: "督查室录入一次督查：单位、方式、日期、发现的问题、扣分，是否重大问题（扣分不受本项权重封顶）。",
        access: Access::Roles(OFFICE),
        params: &[],
        body: Some("CreateInspection"),
        responses: &[(201, "已录入"), (400, "请求体有误"), (401, "未登录"), (403, "不是督查室"), (422, "单位或事项不存在、缺少情况说明、扣分或日期有误")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/summons",
        tag: "通报考核",
        summary: "约谈记录",
        description: "约谈记录，新的在前。督查室看全部，分管领导看分管单位，单位用户看本单位。",
        access: Access::Roles(GOVERNMENT),
        params: &[
            query("from", Ty::Date, "起始日期"),
            query("to", Ty::Date, "截止日期"),
            query("unit", Ty::Ids, "单位编号，多个用逗号分隔"),
            query("leader", Ty::Id, "分管领导的用户编号（督查室）"),
        ],
        body: None,
        responses: &[(200, "约谈记录"), (400, "查询参数有误"), (401, "未登录"), (403, "企业群众账号")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/summons",
        tag: "通报考核",
        summary: "录入约谈记录",
        description: "督查室录入一次约谈：单位、日期、事由；年终考核按次扣分。",
        access: Access::Roles(OFFICE),
        params: &[],
        body: Some("CreateSummons"),
        responses: &[(201, "已录入"), (400, "请求体有误"), (401, "未登录"), (403, "不是督查室"), (422, "单位不存在、缺少事由或日期有误")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/indicators",
        tag: "指标",
        summary: "量化指标及进度",
        description: "各事项的量化指标（公文中的目标，如地区生产总值增长8.5%、公共充电桩13502台），最近一期填报值、完成目标的比例、按时序进度的应达值、超前或落后的差额和状态（达标、进度正常、滞后、无数据）。范围同看板；企业群众无权查看（403）。unit 限定牵头单位。",
        access: Access::Roles(GOVERNMENT),
        params: &[query("unit", Ty::Ids, "牵头单位编号，多个用逗号分隔")],
        body: None,
        responses: &[(200, "指标列表"), (400, "查询参数有误"), (401, "未登录"), (403, "企业群众账号")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/indicators/{matter_id}/{index}",
        tag: "指标",
        summary: "指标详情",
        description: "一项指标的进度、历次填报（含更正前的数值）及每期的应达值、时序进度线。范围外的事项返回 404。",
        access: Access::Roles(GOVERNMENT),
        params: &[INDICATOR_PATH[0], INDICATOR_PATH[1]],
        body: None,
        responses: &[(200, "指标详情"), (400, "编号有误"), (401, "未登录"), (403, "企业群众账号"), (404, "事项或指标不存在，或不在查看范围内")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/indicators/{matter_id}/{index}/values",
        tag: "指标",
        summary: "填报指标数据",
        description: "本事项牵头单位的人员或督查室填报某月（2024-03）或某季度（2024Q1）的数值：总量指标填截至期末的累计值，增长率、比率和控制上限指标填当期值。同一期再次填报为更正，保留原值。",
        access: Access::Roles(TRACK_ACTORS),
        params: &[INDICATOR_PATH[0], INDICATOR_PATH[1]],
        body: Some("IndicatorValue"),
        responses: &[
            (201, "已填报，返回填报值、被更正的原值和更新后的指标"),
            (400, "期间格式有误、数值不是数字或请求体有误"),
            (401, "未登录"),
            (403, "不是本事项的牵头单位或督查室"),
            (404, "事项或指标不存在，或不在查看范围内"),
            (422, "期间不在考核期内或尚未开始"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/appeals",
        tag: "企业群众诉求",
        summary: "诉求列表",
        description: "企业群众：自己提交的诉求；督查室：全部。",
        access: Access::Roles(APPEAL_READERS),
        params: &[
            query("status", Ty::OneOf(&["pending", "accepted", "rejected"]), "诉求状态：pending、accepted、rejected"),
            PAGE[0],
            PAGE[1],
            query("after", Ty::Pattern("^[1-9][0-9]{0,17}$"), "按游标翻页：上一页返回的 next（诉求编号，新的在前）；不能与 offset 同用"),
        ],
        body: None,
        responses: &[(200, "一页诉求和总数"), (400, "查询参数有误"), (401, "未登录"), (403, "无权查看诉求列表")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/appeals",
        tag: "企业群众诉求",
        summary: "提交诉求",
        description: "企业群众反映问题：什么问题、在哪里、怎么联系。",
        access: Access::Roles(&["public"]),
        params: &[],
        body: Some("CreateAppeal"),
        responses: &[
            (201, "已提交"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是企业群众账号"),
            (422, "缺少内容、地点或联系方式"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/appeals/{id}",
        tag: "企业群众诉求",
        summary: "诉求详情",
        description: "诉求人和督查室可看：受理情况、生成的事项及其状态，办结后的答复。",
        access: Access::Roles(APPEAL_READERS),
        params: &[path_id("诉求编号")],
        body: None,
        responses: &[(200, "诉求详情"), (400, "编号有误"), (401, "未登录"), (404, "诉求不存在或无权查看")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/appeals/{id}/accept",
        tag: "企业群众诉求",
        summary: "受理诉求",
        description: "督查室受理：生成来源为企业群众诉求的督办事项并交办给牵头单位，诉求人可跟踪办理结果。",
        access: Access::Roles(OFFICE),
        params: &[path_id("诉求编号")],
        body: Some("AcceptAppeal"),
        responses: &[
            (200, "已受理，返回诉求和事项编号"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是督查室"),
            (404, "诉求不存在或无权查看"),
            (409, "诉求已被他人处理"),
            (422, "已处理过，或单位不存在等"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/appeals/{id}/reject",
        tag: "企业群众诉求",
        summary: "不予受理",
        description: "督查室不予受理，须写明理由，诉求人可见。",
        access: Access::Roles(OFFICE),
        params: &[path_id("诉求编号")],
        body: Some("RejectAppeal"),
        responses: &[
            (200, "已处理"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是督查室"),
            (404, "诉求不存在或无权查看"),
            (409, "诉求已被他人处理"),
            (422, "已处理过，或缺少理由"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/users",
        tag: "管理",
        summary: "用户列表",
        description: "全部用户及其角色、所属单位；分管领导附分管单位。仅督查室和系统管理员。",
        access: Access::Roles(OFFICE),
        params: &[],
        body: None,
        responses: &[(200, "用户列表"), (401, "未登录"), (403, "不是督查室")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/users",
        tag: "管理",
        summary: "添加用户",
        description: "登录名、姓名、角色、所属单位（单位角色必填，其他角色不填）、邮箱和初始密码（至少 8 个字符）。仅系统管理员。",
        access: Access::Roles(&["admin"]),
        params: &[],
        body: Some("CreateUser"),
        responses: &[
            (201, "已添加"),
            (400, "请求体有误、登录名或姓名为空、密码不足 8 个字符"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (409, "登录名已被使用"),
            (422, "角色与所属单位不符，或单位不存在"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/me/password",
        tag: "登录",
        summary: "修改自己的密码",
        description: "须提供当前密码；新密码须符合密码规则（长度、字符类别、不含登录名、不与最近用过的密码相同，见配置 [accounts]）。初始密码或被重置的密码须先在此修改，其他接口才可使用。修改后本人的其他会话结束。",
        access: Access::LoggedIn,
        params: &[],
        body: Some("ChangePassword"),
        responses: &[
            (200, "已修改"),
            (400, "当前密码不正确，或新密码不符合规则"),
            (401, "未登录"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/users/{id}/password",
        tag: "管理",
        summary: "重置用户密码",
        description: "安全管理员为用户设置新密码（须符合密码规则），用户下次登录须先修改；该用户的会话全部结束，锁定解除。系统管理员和审计管理员不能重置（三员分立）。",
        access: Access::Roles(&["security"]),
        params: &[path_id("用户编号")],
        body: Some("ResetPassword"),
        responses: &[
            (200, "已重置"),
            (400, "请求体有误，或密码不符合规则"),
            (401, "未登录"),
            (403, "不是安全管理员"),
            (404, "用户不存在"),
        ],
    },
    RouteDoc {
        method: "PUT",
        path: "/api/v1/users/{id}/active",
        tag: "管理",
        summary: "停用或启用用户",
        description: "停用后该用户的会话立即结束，登录和 API 令牌均不可用；不能停用自己。",
        access: Access::Roles(&["admin"]),
        params: &[path_id("用户编号")],
        body: Some("UserActive"),
        responses: &[
            (200, "已更新"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (404, "用户不存在"),
            (422, "不能停用自己"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/users/{id}/tokens",
        tag: "管理",
        summary: "签发 API 令牌",
        description: "系统管理员为用户签发一个供系统对接使用的 API 令牌（Authorization: Bearer 令牌），以该用户的身份和权限调用接口。令牌只在本次应答的 token 中出现一次，系统只保存其摘要，之后无法再次查看。",
        access: Access::Roles(&["admin"]),
        params: &[path_id("用户编号")],
        body: Some("IssueToken"),
        responses: &[
            (201, "已签发：token 为令牌本身，仅此一次"),
            (400, "请求体有误，或名称为空、过长"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (404, "用户不存在"),
            (422, "用户已停用"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/tokens",
        tag: "管理",
        summary: "API 令牌列表",
        description: "全部 API 令牌：名称、所属用户、签发时间、最近使用时间和吊销时间；不含令牌本身。",
        access: Access::Roles(&["admin"]),
        params: &[],
        body: None,
        responses: &[(200, "令牌列表"), (401, "未登录"), (403, "不是系统管理员")],
    },
    RouteDoc {
        method: "DELETE",
        path: "/api/v1/tokens/{id}",
        tag: "管理",
        summary: "吊销 API 令牌",
        description: "吊销后该令牌立即失效，再用它调用接口得到 401。",
        access: Access::Roles(&["admin"]),
        params: &[path_id("令牌编号")],
        body: None,
        responses: &[
            (200, "已吊销"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (404, "令牌不存在"),
            (409, "令牌已经吊销"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/audit",
        tag: "管理",
        summary: "审计记录",
        description: "哈希链中的全部记录，新的在前：登录及失败（地址、浏览器标识）、附件下载、账号和权限变更、配置变更及各项业务操作。仅审计管理员（auditor）可查看，系统管理员不能查看（三员分立）。",
        access: Access::Roles(&["auditor"]),
        params: &[
            query("before", Ty::AtLeast(1), "只列出序号小于此值的记录（翻页：上一页的 next_before）"),
            query("limit", Ty::Range(1, 1000), "条数，1–1000，默认 100"),
            query("kind", Ty::Text, "只看一种记录（其代码，如 audit.login 登录、track.sign_for 签收）或一组记录（以点结尾的前缀，如 audit. 安全审计、user. 账号、settings. 系统设置）；其他值答 422"),
            query("user", Ty::Text, "只看此登录名的用户所为"),
            query("from", Ty::Date, "起始日期（含，本地时间）"),
            query("to", Ty::Date, "截止日期（含）"),
        ],
        body: None,
        responses: &[(200, "审计记录"), (400, "参数有误"), (401, "未登录"), (403, "不是审计管理员"), (422, "没有这个用户或这种记录")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/calendar",
        tag: "管理",
        summary: "节假日日历",
        description: "各年份的日历：正式（系统自带或管理员按通知录入，provenance=official）或暂定（国务院办公厅尚未公布、按放假办法和近年调休惯例推算，provenance=provisional），每年的来源、放假日和调休上班日。",
        access: Access::LoggedIn,
        params: &[],
        body: None,
        responses: &[(200, "日历年份"), (401, "未登录")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/calendar/{year}",
        tag: "管理",
        summary: "一年的日历",
        description: "该年的放假日和调休上班日、来源（正式或暂定），以及按规则推算的暂定安排和两者的差异。",
        access: Access::LoggedIn,
        params: &[path("year", Ty::Range(2000, 2099), "年份，2000–2099")],
        body: None,
        responses: &[(200, "该年日历"), (400, "年份有误"), (401, "未登录")],
    },
    RouteDoc {
        method: "PUT",
        path: "/api/v1/calendar/{year}",
        tag: "管理",
        summary: "录入或替换一年的日历",
        description: "按国务院办公厅放假通知录入一整年的放假日和调休上班日，替换该年原有数据；所有未办结事项的时限随即在同一事务中重算，时限变动的单位由提醒渠道收到通知。日期须属于该年，调休上班日须为周末，同一天不能既放假又上班，不能为空（要撤销请删除该年）。仅系统管理员。",
        access: Access::Roles(&["admin"]),
        params: &[path("year", Ty::Range(2000, 2099), "年份，2000–2099")],
        body: Some("CalendarYear"),
        responses: &[
            (200, "已保存，recomputed 为重算结果"),
            (400, "年份或请求体有误"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (422, "日历数据不合规，说明原因"),
        ],
    },
    RouteDoc {
        method: "DELETE",
        path: "/api/v1/calendar/{year}",
        tag: "管理",
        summary: "删除录入的一年",
        description: "删除管理员录入的该年安排：系统自带该年时恢复自带数据，否则该年按暂定安排计算；未办结事项的时限随即重算。仅系统管理员。",
        access: Access::Roles(&["admin"]),
        params: &[path("year", Ty::Range(2000, 2099), "年份，2000–2099")],
        body: None,
        responses: &[
            (200, "已删除，recomputed 为重算结果"),
            (400, "年份有误"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (404, "该年没有管理员录入的安排"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/calendar/notice",
        tag: "管理",
        summary: "识别并录入国务院办公厅放假通知",
        description: "text 为通知全文（含标题）：识别每项放假起止和调休上班日，与正在使用的日历逐年对照并列出差异；apply 为 true 时录入为正式安排（通知涉及上一年 12 月的日期并入上一年），重算所有未办结事项的时限。通知中的星期、天数与日期不符时拒绝并说明。仅系统管理员。",
        access: Access::Roles(&["admin"]),
        params: &[],
        body: Some("CalendarNotice"),
        responses: &[
            (200, "识别结果（applied 表示是否已录入）"),
            (400, "请求体有误或 text 为空"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (422, "不是可识别的放假通知，或通知自相矛盾，说明原因"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/matter-types",
        tag: "管理",
        summary: "事项类型及其时限",
        description: "三个标准类型（普通、重大、持续推进）和管理员设立的自定义类型，各自的计日方式（自然日或工作日）、签收部署、首次反馈、办结时限和报送节点，附文字说明；停用的自定义类型标为 active=false，不能用于新事项。",
        access: Access::LoggedIn,
        params: &[],
        body: None,
        responses: &[(200, "事项类型列表"), (401, "未登录")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/matter-types",
        tag: "管理",
        summary: "新建自定义事项类型",
        description: "须给出名称、计日方式，以及办结时限或报送节点；其余时限默认当天签收部署、3天内反馈。标准类型的名称（普通、重大、持续及其全称、英文代码）不能使用。仅系统管理员。",
        access: Access::Roles(&["admin"]),
        params: &[],
        body: Some("NewMatterType"),
        responses: &[
            (201, "已新建"),
            (400, "请求体或某项时限写法有误，说明应如何填写"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (409, "同名类型已存在"),
            (422, "时限不合规（如办结时限早于反馈时限）或使用了标准类型的名称"),
        ],
    },
    RouteDoc {
        method: "PUT",
        path: "/api/v1/matter-types/{name}",
        tag: "管理",
        summary: "修改自定义事项类型",
        description: "只改请求体中给出的项；active=false 停用（不再用于新事项），true 恢复。类型不能改名、不能删除；标准类型不能修改。修改只影响此后新建的事项，已有事项保留立项时的时限。仅系统管理员。",
        access: Access::Roles(&["admin"]),
        params: &[path("name", Ty::Text, "事项类型名称")],
        body: Some("MatterTypeBody"),
        responses: &[
            (200, "已保存"),
            (400, "请求体或某项时限写法有误，说明应如何填写"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (404, "没有这个事项类型"),
            (422, "时限不合规、试图改名，或是标准类型"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/division-of-work",
        tag: "管理",
        summary: "导入领导班子分工",
        description: "识别分工文件中每位领导的姓名、职务和分管单位，按姓名对应分管领导账号、按名称对应单位名录，返回结果供确认；apply=true 时把对应上的领导的分管单位设为对应上的单位（替换原有分管），并列出未对应上的领导和单位（不会新建或丢弃）。仅系统管理员。",
        access: Access::Roles(&["admin"]),
        params: &[],
        body: Some("DivisionOfWork"),
        responses: &[
            (200, "识别和对应结果；apply=true 时附已设置的分管"),
            (400, "请求体有误或正文为空"),
            (401, "未登录"),
            (403, "不是系统管理员"),
            (422, "没有识别出领导分工"),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/search",
        tag: "搜索",
        summary: "全文搜索",
        description: "在公文（原文）、督办事项、反馈和企业群众诉求中搜索中文：单位名称、地名、发文字号按原样整体匹配，标题、发文字号和完整短语排在前面；每条结果带高亮摘要和链接（公文链接到命中的原文行）。只搜索调用者能打开的内容：督查室全部；单位用户本单位有任务的事项和本单位的反馈；分管领导分管单位的；企业群众自己提交的诉求和由其形成的事项。公文仅督查室可见。",
        access: Access::LoggedIn,
        params: &[
            required("q", Ty::Words(100), "要搜索的内容（必填，最多 100 字）；空格分隔的几部分须同时出现"),
            query("kind", Ty::OneOf(&["document", "matter", "report", "appeal"]), "类别：document（公文）、matter（督办事项）、report（反馈）、appeal（诉求）"),
            query("unit", Ty::Int, "单位编号：只看该单位承办的事项和反馈"),
            query("issuer", Ty::Text, "发文机关全称（公文）"),
            query("from", Ty::Date, "起始日期（含）：公文的成文日期，其他为创建日期"),
            query("to", Ty::Date, "截止日期（含）"),
            query("state", Ty::Text, "状态：事项 open、closed、withdrawn；诉求 pending、accepted、rejected；反馈为其种类"),
            query("in_force", Ty::OneOf(&["有效", "true", "已修改", "已失效", "已废止"]), "公文效力（按今天）：有效（或 true）、已修改、已失效、已废止；只返回该效力的公文"),
            PAGE[0],
            query("offset", Ty::Range(0, crate::search::MAX_OFFSET), "起始位置，0–10000，默认 0"),
        ],
        body: None,
        responses: &[(200, "一页结果和总数"), (400, "查询参数有误"), (401, "未登录")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/security/settings",
        tag: "管理",
        summary: "安全策略",
        description: "账号安全规则：密码长度和字符类别、不得重复的历史密码数、锁定前允许的连续失败次数和锁定分钟数、空闲超时、每个地址每分钟登录次数、管理员是否须用动态口令（totp_for_admins）、每人每分钟提交次数（writes_per_minute）。仅安全管理员（三员分立）。",
        access: Access::Roles(&["security"]),
        params: &[],
        body: None,
        responses: &[(200, "安全策略"), (401, "未登录"), (403, "不是安全管理员")],
    },
    RouteDoc {
        method: "PUT",
        path: "/api/v1/security/settings",
        tag: "管理",
        summary: "修改安全策略",
        description: "只修改给出的规则，例如 {\"accounts\": {\"lock_minutes\": 30, \"totp_for_admins\": true}}；超出范围的值被拒绝并说明范围。修改记入审计记录。仅安全管理员。",
        access: Access::Roles(&["security"]),
        params: &[],
        body: Some("SecuritySettings"),
        responses: &[(200, "修改后的安全策略"), (400, "规则名或取值有误"), (401, "未登录"), (403, "不是安全管理员")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/users/{id}/unlock",
        tag: "管理",
        summary: "解除账号锁定",
        description: "清除连续失败次数并解除锁定，记入审计记录。仅安全管理员。",
        access: Access::Roles(&["security"]),
        params: &[path_id("用户编号")],
        body: None,
        responses: &[(200, "已解除"), (400, "编号有误"), (401, "未登录"), (403, "不是安全管理员"), (404, "用户不存在")],
    },
    RouteDoc {
        method: "DELETE",
        path: "/api/v1/users/{id}/totp",
        tag: "管理",
        summary: "重置动态口令",
        description: "删除用户已绑定（或正在绑定）的验证器（如手机丢失），该用户的会话全部结束，须重新绑定。记入审计记录。仅安全管理员。",
        access: Access::Roles(&["security"]),
        params: &[path_id("用户编号")],
        body: None,
        responses: &[(200, "已重置"), (400, "编号有误"), (401, "未登录"), (403, "不是安全管理员"), (404, "用户不存在")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/me/totp",
        tag: "登录",
        summary: "我的动态口令",
        description: "enabled：已启用；pending：已开始绑定、尚待确认；required：安全策略要求本人使用。",
        access: Access::LoggedIn,
        params: &[],
        body: None,
        responses: &[(200, "状态"), (401, "未登录")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/me/totp",
        tag: "登录",
        summary: "开始绑定动态口令",
        description: "生成新的密钥（RFC 6238，SHA-1，6 位，30 秒），返回密钥文本 secret 和 otpauth:// 地址 uri，供手机验证器添加；用 POST /api/v1/me/totp/confirm 提交一个验证码后才启用。",
        access: Access::LoggedIn,
        params: &[],
        body: None,
        responses: &[(200, "密钥和地址"), (401, "未登录"), (409, "已启用，更换须由安全管理员重置")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/me/totp/confirm",
        tag: "登录",
        summary: "确认绑定动态口令",
        description: "提交验证器上当前的 6 位数字；正确则启用，此后登录须提供动态口令。",
        access: Access::LoggedIn,
        params: &[],
        body: Some("TotpCode"),
        responses: &[(200, "已启用"), (400, "验证码不正确或请求体有误"), (401, "未登录"), (409, "没有待确认的绑定")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/matters/similar",
        tag: "督办事项",
        summary: "查找可能重复的事项",
        description: "新建事项前，按标题、内容（按词的罕见程度加权的相同词）和承办单位（相同单位）查找相近的已有事项（已撤销的除外），最相近的在前；供督查室决定关联而不是重复交办，不阻止新建。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[
            required("title", Ty::Words(200), "事项标题"),
            query("detail", Ty::Words(9800), "事项内容"),
            query("lead", Ty::Ids, "牵头单位编号，逗号分隔"),
            query("co", Ty::Ids, "配合单位编号，逗号分隔"),
        ],
        body: None,
        responses: &[(200, "相近的事项（similar）"), (400, "标题和内容都为空或参数有误"), (401, "未登录"), (403, "不是督查室")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/matters/{id}/similar",
        tag: "督办事项",
        summary: "事项的可能重复事项",
        description: "与该事项相近、尚未关联的已有事项（不含其本身），最相近的在前。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[path_id("事项编号")],
        body: None,
        responses: &[(200, "相近的事项（similar）"), (401, "未登录"), (403, "不是督查室"), (404, "事项不存在")],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/matters/{id}/links",
        tag: "督办事项",
        summary: "关联事项",
        description: "督查室把两个事项关联为同一项工作（可填理由），两个事项的详情都显示对方；两个事项的日志各记一条。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[path_id("事项编号")],
        body: Some("MatterLink"),
        responses: &[
            (200, "该事项现有的关联（links）"),
            (400, "请求体有误"),
            (401, "未登录"),
            (403, "不是督查室"),
            (404, "事项不存在"),
            (409, "已经关联"),
            (422, "与自己关联"),
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v1/matters/{id}/unlink",
        tag: "督办事项",
        summary: "取消关联",
        description: "取消两个事项的关联（记录保留并标记取消，日志各记一条）。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[path_id("事项编号")],
        body: Some("MatterLink"),
        responses: &[(200, "该事项现有的关联（links）"), (400, "请求体有误"), (401, "未登录"), (403, "不是督查室"), (404, "没有这个关联")],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v1/proposals/{id}/similar",
        tag: "公文",
        summary: "拟办任务的可能重复事项",
        description: "与该拟办任务（按原文和已匹配的单位）相近的已有事项，最相近的在前；确认立项后可关联。仅督查室。",
        access: Access::Roles(OFFICE),
        params: &[path_id("拟办任务编号")],
        body: None,
        responses: &[(200, "相近的事项（similar）"), (401, "未登录"), (403, "不是督查室"), (404, "拟办任务不存在")],
    },
];

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

fn param(p: &Param) -> Value {
    json!({
        "name": p.name,
        "in": match p.location { In::Path => "path", In::Query => "query" },
        "required": p.required,
        "description": p.description,
        "schema": p.ty.schema(),
    })
}

/// The answers every route of a kind gives besides its own: a malformed
/// parameter or body (400), an address longer than the server reads (414),
/// and the refusals of shared parameters (422).
fn implied_responses(r: &RouteDoc) -> Vec<(u16, &'static str)> {
    let has = |code: u16| r.responses.iter().any(|(c, _)| *c == code);
    let param = |name: &str| r.params.iter().any(|p| p.name == name);
    let mut more = Vec::new();
    if (!r.params.is_empty() || r.body.is_some()) && !has(400) {
        more.push((400, "参数或请求体的格式有误，说明应如何填写"));
    }
    let unbounded = |p: &&Param| p.location == In::Query || p.ty == Ty::Text;
    if r.params.iter().any(|p| unbounded(&p)) && !has(414) {
        more.push((414, "请求地址过长"));
    }
    if r.method != "GET" && r.access != Access::Anyone && !has(429) {
        more.push((429, "提交过于频繁，请稍等一分钟后再试"));
    }
    if param("after") && !has(422) {
        more.push((422, "after 与 offset 同用，或翻页位置与排序不符"));
    }
    if !has(422) {
        if param("leader") && param("as_of") {
            more.push((422, "leader 所指的用户不是分管领导，或判定日晚于今天"));
        } else if param("leader") {
            more.push((422, "leader 所指的用户不是分管领导"));
        } else if param("as_of") {
            more.push((422, "判定日晚于今天"));
        } else if param("from") && param("to") {
            more.push((422, "起始日期晚于截止日期"));
        }
    }
    more
}

fn operation(r: &RouteDoc) -> Value {
    let mut op = Map::new();
    op.insert("tags".into(), json!([r.tag]));
    op.insert("summary".into(), json!(r.summary));
    op.insert("description".into(), json!(r.description));
    op.insert(
        "operationId".into(),
        json!(format!(
            "{}{}",
            r.method.to_lowercase(),
            r.path
                .replace(['{', '}'], "")
                .split(['/', '.', '-'])
                .filter(|s| !s.is_empty())
                .map(|s| format!("_{s}"))
                .collect::<String>()
        )),
    );
    if !r.params.is_empty() {
        op.insert(
            "parameters".into(),
            json!(r.params.iter().map(param).collect::<Vec<_>>()),
        );
    }
    if let Some(body) = r.body {
        let schema = json!({ "$ref": format!("#/components/schemas/{body}") });
        // A file is sent as itself; everything else is JSON.
        let content = if body == "UploadedFile" {
            json!({ "text/plain": { "schema": schema }, "application/octet-stream": { "schema": schema } })
        } else if body == "XlsxFile" {
            json!({ crate::excel::XLSX: { "schema": schema }, "application/octet-stream": { "schema": schema } })
        } else {
            json!({ "application/json": { "schema": schema } })
        };
        op.insert(
            "requestBody".into(),
            json!({ "required": true, "content": content }),
        );
    }
    let mut responses = Map::new();
    for (code, what) in r.responses.iter().chain(&implied_responses(r)) {
        let mut resp = json!({ "description": what });
        if *code == 414 {
            // hyper answers it before any handler, without a body.
        } else if let Some((view, alone)) = typed_error(r, *code) {
            // A refusal with more than its words (the log-in's second
            // step, an import's report row by row).
            let view = json!({ "$ref": format!("#/components/schemas/{view}") });
            let schema = if alone {
                view
            } else {
                json!({ "anyOf": [view, { "$ref": "#/components/schemas/Error" }] })
            };
            resp["content"] = json!({ "application/json": { "schema": schema } });
        } else if *code >= 400 && *code != 503 {
            resp["content"] = json!({ "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } });
        } else if r.path.ends_with(".docx") {
            resp["content"] = json!({ crate::reports::DOCX: { "schema": { "type": "string", "format": "binary" } } });
        } else if r.path.ends_with(".xlsx") {
            resp["content"] = json!({ crate::excel::XLSX: { "schema": { "type": "string", "format": "binary" } } });
        } else if let Some(view) = typed_response(r).filter(|_| matches!(*code, 200 | 201)) {
            // A typed view (the answer of a read, or of a creation): its
            // schema is derived from the Rust type.
            resp["content"] = json!({ "application/json": { "schema": { "$ref": format!("#/components/schemas/{view}") } } });
        } else if r.path.starts_with("/api/") {
            resp["content"] = json!({ "application/json": { "schema": { "type": "object" } } });
        }
        responses.insert(code.to_string(), resp);
    }
    op.insert("responses".into(), Value::Object(responses));
    let unsafe_method = !matches!(r.method, "GET" | "HEAD" | "OPTIONS");
    let security = match r.access {
        Access::Anyone => json!([]),
        _ if unsafe_method => json!([{ "cookieAuth": [], "csrfToken": [] }, { "bearerAuth": [] }]),
        _ => json!([{ "cookieAuth": [] }, { "bearerAuth": [] }]),
    };
    op.insert("security".into(), security);
    op.insert(
        "x-roles".into(),
        match r.access {
            Access::Anyone => json!(["anonymous"]),
            Access::LoggedIn => json!(["any"]),
            Access::Roles(roles) => json!(roles),
        },
    );
    Value::Object(op)
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

/// The name of the typed view a route answers with, if it is typed.
fn typed_response(r: &RouteDoc) -> Option<&'static str> {
    crate::views::TYPED_ROUTES
        .iter()
        .find(|(method, path, _)| *method == r.method && *path == r.path)
        .map(|(_, _, view)| *view)
}

/// The typed refusal a route answers `code` with, if it has one, and
/// whether it is the only answer with that code.
fn typed_error(r: &RouteDoc, code: u16) -> Option<(&'static str, bool)> {
    crate::views::TYPED_ERRORS
        .iter()
        .find(|(method, path, c, ..)| *method == r.method && *path == r.path && *c == code)
        .map(|(.., view, alone)| (*view, *alone))
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
/// handlers (`crate::documented`), and the rows of [`ROUTES`] not yet moved
/// to theirs.
pub fn document() -> Value {
    let generated = crate::documented().into_openapi();
    let generated = serde_json::to_value(generated).expect("the document serialises");
    let mut paths: Map<String, Value> = generated["paths"].as_object().cloned().unwrap_or_default();
    for item in paths.values_mut() {
        for (method, op) in item.as_object_mut().into_iter().flatten() {
            complete(method, op);
        }
    }
    for r in ROUTES {
        let item = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        item[r.method.to_lowercase()] = operation(r);
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_documented_once_with_its_path_parameters() {
        let mut seen = std::collections::HashSet::new();
        for r in ROUTES {
            assert!(
                seen.insert((r.method, r.path)),
                "{} {} listed twice",
                r.method,
                r.path
            );
            assert!(!r.summary.is_empty() && !r.responses.is_empty());
            let in_path: Vec<&str> = r
                .path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            let declared: Vec<&str> = r
                .params
                .iter()
                .filter(|p| p.location == In::Path)
                .map(|p| p.name)
                .collect();
            assert_eq!(in_path, declared, "{} {}", r.method, r.path);
        }
        let doc = document();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for r in ROUTES {
            if let Some(b) = r.body {
                assert!(schemas.contains_key(b), "{b}");
            }
        }
        assert_eq!(
            doc["paths"]["/api/v1/matters"]["get"]["summary"],
            "督办事项看板"
        );
    }

    #[test]
    fn no_route_is_both_in_the_table_and_registered_with_its_handler() {
        let generated = serde_json::to_value(crate::documented().into_openapi()).unwrap();
        for r in ROUTES {
            assert!(
                generated["paths"][r.path][r.method.to_lowercase()].is_null(),
                "{} {} is documented both by its handler and in ROUTES",
                r.method,
                r.path
            );
        }
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
