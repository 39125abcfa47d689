//! A track (one unit's part in a matter) as the API and the pages show it.

use super::query::{Lights, Pendings, TrackStates, UnitRoles};
use super::LightCode;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

/// A track: its state and light for everyone who sees it; its limits
/// (`TrackDue`) for everyone in government; its whole record (`TrackFull`)
/// where the view is a matter's detail or a list of tracks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackView {
    pub id: i64,
    pub matter_id: i64,
    pub unit_id: i64,
    pub unit_name: Option<String>,
    /// `lead` (牵头) or `co` (配合).
    #[schema(value_type = String, example = "lead")]
    pub role: duban_domain::matter::Role,
    pub role_label: String,
    /// `assigned`, `signed_for`, `close_requested`, `returned`, `closed`,
    /// `withdrawn`.
    pub state: String,
    pub state_label: String,
    /// The office's grade on closing (`excellent`, `good`, `pass`, `fail`).
    #[schema(value_type = Option<String>)]
    pub grade: Option<duban_domain::matter::Grade>,
    pub grade_label: Option<String>,
    pub light: LightCode,
    pub light_label: String,
    /// Why the limits cannot be computed, when they cannot.
    pub limits_error: Option<String>,
    /// Says which limits rest on a provisional (暂定) calendar year.
    pub provisional_note: Option<String>,
    /// When the office closed it (local wall-clock time).
    #[schema(value_type = Option<String>, example = "2026-12-07T09:30:00")]
    pub closed_at: Option<NaiveDateTime>,
    /// For everyone in government; absent for the public.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(inline)]
    pub due: Option<TrackDue>,
    /// In a matter's detail and the lists of tracks.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(inline)]
    pub full: Option<TrackFull>,
    /// The 承办人 the unit passed it to, where the read names them.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(inline)]
    pub handler: Option<HandlerView>,
    /// What the unit and the office wrote, in a matter's detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports: Option<Vec<ReportView>>,
    /// The track's matter, in the lists of tracks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matter: Option<super::MatterSummary>,
}

/// A track's limits as everyone in government reads them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackDue {
    /// The next limit as stored (the board sorts by it).
    pub next_due: Option<NaiveDate>,
    #[schema(required = false)]
    pub next_due_provisional: bool,
    pub next: Option<NextLimit>,
    /// The 13710 resolve limit.
    pub resolve_due: Option<NaiveDate>,
}

/// A track's whole record: version, limits, dues, the actions the viewer
/// may take, and the domain's times and counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackFull {
    /// Send it back with an action, so no one overwrites another's.
    #[schema(required = false)]
    pub version: i64,
    pub overdue_days: Option<u32>,
    #[schema(required = false)]
    pub limits: LimitsView,
    /// The limits still unmet; null where the calendar cannot give them.
    pub dues: Option<Vec<DueView>>,
    /// The action codes the viewer may take (`sign_for`, `report`, …).
    #[schema(required = false)]
    pub allowed: Vec<String>,
    pub deadline: Option<NaiveDate>,
    #[schema(value_type = String, example = "2026-12-07T09:30:00", required = false)]
    pub assigned_at: NaiveDateTime,
    #[schema(value_type = Option<String>, example = "2026-12-07T09:30:00")]
    pub signed_at: Option<NaiveDateTime>,
    #[schema(value_type = Vec<String>, required = false)]
    pub report_times: Vec<NaiveDateTime>,
    #[schema(value_type = Option<String>, example = "2026-12-07T09:30:00")]
    pub close_requested_at: Option<NaiveDateTime>,
    #[schema(value_type = Option<String>, example = "2026-12-07T09:30:00")]
    pub returned_at: Option<NaiveDateTime>,
    #[schema(required = false)]
    pub returns: u32,
    #[schema(value_type = Option<String>, example = "2026-12-07T09:30:00")]
    pub withdrawn_at: Option<NaiveDateTime>,
    /// The extension request waiting for the office: `until`, `plan`,
    /// `requested_at`.
    #[schema(value_type = Option<Object>)]
    pub pending_extension: Option<duban_domain::workflow::ExtensionRequest>,
    pub extended_until: Option<NaiveDate>,
    pub extension_plan: Option<String>,
    #[schema(required = false)]
    pub extensions_granted: u32,
    #[schema(required = false)]
    pub extensions_refused: u32,
    #[schema(value_type = String, example = "2026-12-07T09:30:00", required = false)]
    pub updated_at: NaiveDateTime,
}

/// The 承办人 of a track, both null when none was named.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HandlerView {
    pub handler_id: Option<i64>,
    pub handler_name: Option<String>,
}

/// The 13710 limits of a track; null where the calendar cannot give one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LimitsView {
    pub deploy: Option<NaiveDate>,
    pub first_report: Option<NaiveDate>,
    pub resolve: Option<NaiveDate>,
    pub next_node: Option<NodeView>,
    pub provisional: ProvisionalMarks,
}

/// A reporting node: the day it reports on and the last day to report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeView {
    pub day: NaiveDate,
    pub due: NaiveDate,
}

/// Which limits rest on a provisional (暂定) calendar year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProvisionalMarks {
    pub deploy: bool,
    pub first_report: bool,
    pub resolve: bool,
    pub next_node: bool,
}

/// A limit still unmet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DueView {
    /// `deploy`, `first_report`, `node`, `resolve`.
    pub limit: String,
    pub label: String,
    pub date: NaiveDate,
    pub provisional: bool,
    /// The node's day, for a reporting node.
    pub node_day: Option<NaiveDate>,
}

/// The next limit as people read it: the date, which step, the days left
/// (negative when late) and the same in words (剩3个工作日, 逾期21天).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NextLimit {
    pub date: NaiveDate,
    /// `deploy`, `first_report`, `node`, `resolve`.
    pub limit: String,
    pub label: String,
    pub provisional: bool,
    pub days: i64,
    pub text: String,
    /// The unit that owes it, on a matter's next limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
}

/// What a unit or the office wrote on a track.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    pub id: i64,
    /// `report`, `close_application`, `return`, `close`,
    /// `extension_request`, `extension_refused`, `withdraw`.
    pub kind: String,
    pub kind_label: String,
    pub body: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    /// UTC.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The same in the configured local time.
    pub at_local: String,
    pub files: Vec<FileView>,
}

/// A file attached to a report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileView {
    pub id: i64,
    pub report_id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
}

/// A page of tracks (a unit's 待办, the office's queues).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackListView {
    pub tracks: Vec<TrackView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    /// The cursor of the next page (`after=`), none on the last.
    pub next: Option<String>,
    pub today: NaiveDate,
}

/// What a list of tracks asks for (`GET /api/v1/tracks`): read from the
/// request's parameters (`Filter` in `duban-web`), each checked with a
/// message in Chinese, or built by a page. A page that misnames a filter
/// does not compile.
#[derive(Debug, Clone, PartialEq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrackListQuery {
    /// 单位编号，多个用逗号分隔
    #[param(rename = "unit", value_type = Option<String>, pattern = "^[0-9]{1,18}(,[0-9]{1,18})*$")]
    pub units: Option<Vec<i64>>,
    /// 事项编号
    pub matter: Option<i64>,
    /// 只列未办结的任务，默认 true
    #[param(rename = "open", value_type = Option<bool>)]
    pub open_only: bool,
    /// 办理状态：assigned、signed_for、close_requested、returned、closed、withdrawn
    #[param(value_type = Option<TrackStates>, inline)]
    pub state: Option<String>,
    /// 灯色：green、yellow、red、done、unknown
    #[param(value_type = Option<Lights>, inline)]
    pub light: Option<duban_store::matters::LightFilter>,
    /// 承办角色：lead、co
    #[param(value_type = Option<UnitRoles>, inline)]
    pub role: Option<duban_domain::matter::Role>,
    /// 有未办时限在该日或之前
    pub due_by: Option<NaiveDate>,
    /// extension：只列延期申请待督查室审核的任务
    #[param(rename = "pending", value_type = Option<Pendings>, inline)]
    pub extension_pending: bool,
    /// true：只列本单位交给我承办的任务（我的待办）
    #[param(value_type = Option<bool>)]
    pub mine: bool,
    /// 每页条数，1–200，默认 50
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: i64,
    /// 起始位置，默认 0
    #[param(value_type = Option<i64>, minimum = 0)]
    pub offset: i64,
    /// 按游标翻页：上一页返回的 next；不能与 offset 同用
    #[param(value_type = Option<String>, pattern = "^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|none)\\.[1-9][0-9]{0,17}$")]
    pub after: Option<duban_store::matters::TrackCursor>,
}

impl Default for TrackListQuery {
    fn default() -> TrackListQuery {
        TrackListQuery {
            units: None,
            matter: None,
            open_only: true,
            state: None,
            light: None,
            role: None,
            due_by: None,
            extension_pending: false,
            mine: false,
            limit: 50,
            offset: 0,
            after: None,
        }
    }
}

/// What passing a track to a 承办人 answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PassedView {
    pub track_id: i64,
    pub handler_id: i64,
    pub handler_name: String,
}

/// What an action on a track answers: the track as it now stands, and
/// where its matter stands (an action may close it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActedView {
    pub track: TrackView,
    pub matter: ActedMatter,
}

/// A track's matter after an action on the track.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActedMatter {
    pub id: i64,
    /// `open`, `closed`, `withdrawn`.
    #[schema(value_type = String, example = "open")]
    pub status: duban_domain::matter::MatterStatus,
    pub status_label: String,
}
