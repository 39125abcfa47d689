//! The queries of the reads, typed: what the board, the statistics, the
//! lists, the search, the reports and the exports ask for. The API reads
//! them from a request's parameters
//! (`Filter` in `duban-web`); a page builds them or reads its own link's
//! parameters the same way ([`FromParams::from_query`]); their OpenAPI
//! parameters are derived from the fields (`IntoParams`), the words a
//! filter takes from the table its reader accepts.

use super::TrackListQuery;
use crate::params::{FromParams, Params, QueryError, QueryResult, Words};
use crate::words_schema;
use chrono::NaiveDate;
use duban_domain::archive::Status;
use duban_domain::assess::Period;
use duban_domain::matter::{MatterKind, MatterStatus, Role as UnitRole};
use duban_domain::workflow::TrackState;
use duban_store::appeals::AppealStatus;
use duban_store::matters::{BoardCursor, BoardSort, LightFilter, TrackCursor};
use utoipa::IntoParams;

/// What the matters board asks for (`GET /api/v1/matters`, the 督办事项
/// page and its CSV export).
#[derive(Debug, Clone, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardParams {
    /// 单位编号，多个用逗号分隔
    #[param(value_type = Option<String>, pattern = "^[0-9]{1,18}(,[0-9]{1,18})*$")]
    pub unit: Option<Vec<i64>>,
    /// 分管领导的用户编号：只看其分管单位
    #[param(minimum = 1)]
    pub leader: Option<i64>,
    /// 来源：document、meeting、instruction、list、appeal
    #[param(value_type = Option<SourceKinds>, inline)]
    pub source: Option<SourceKind>,
    /// 事项类型：ordinary、major、continuing、custom（或 普通、重大、持续）
    #[param(rename = "type", value_type = Option<MatterKinds>, inline)]
    pub kind: Option<MatterKind>,
    /// 事项状态：open、closed、withdrawn
    #[param(value_type = Option<MatterStatuses>, inline)]
    pub status: Option<MatterStatus>,
    /// 任务办理状态：assigned、signed_for、close_requested、returned、closed、withdrawn
    #[param(value_type = Option<TrackStates>, inline)]
    pub state: Option<StateCode>,
    /// 灯色：green、yellow、red、done、unknown（日历缺年份无法计算）
    #[param(value_type = Option<Lights>, inline)]
    pub light: Option<LightFilter>,
    /// 承办角色：lead（牵头）、co（配合）
    #[param(value_type = Option<UnitRoles>, inline)]
    pub role: Option<UnitRole>,
    /// 事项截止日期不早于
    pub deadline_from: Option<NaiveDate>,
    /// 事项截止日期不晚于
    pub deadline_to: Option<NaiveDate>,
    /// 有未办时限在该日或之前
    pub due_by: Option<NaiveDate>,
    /// 标题包含的文字
    #[param(rename = "q", max_length = 10000)]
    pub text: Option<String>,
    /// 排序：-created（默认，新的在前）、created、deadline、-deadline、due（时限最近的在前）
    #[param(value_type = Option<BoardSorts>, inline)]
    pub sort: Option<BoardSort>,
    /// 每页条数，1–200，默认 50
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: i64,
    /// 起始位置，默认 0
    #[param(value_type = Option<i64>, minimum = 0)]
    pub offset: i64,
    /// 按游标翻页：上一页返回的 next（排序不变）；不能与 offset 同用
    #[param(value_type = Option<String>, pattern = "^([1-9][0-9]{0,17}|(deadline|-deadline|due)\\.([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|none)\\.[1-9][0-9]{0,17})$")]
    pub after: Option<BoardCursor>,
}

impl Default for BoardParams {
    /// Everything in view, newest first, the first 50.
    fn default() -> BoardParams {
        BoardParams {
            unit: None,
            leader: None,
            source: None,
            kind: None,
            status: None,
            state: None,
            light: None,
            role: None,
            deadline_from: None,
            deadline_to: None,
            due_by: None,
            text: None,
            sort: None,
            limit: 50,
            offset: 0,
            after: None,
        }
    }
}

impl FromParams for BoardParams {
    fn from_params(p: &mut Params) -> QueryResult<BoardParams> {
        let mut f = BoardParams {
            unit: p.ids("unit", "单位")?,
            leader: p.i64("leader", "分管领导")?,
            source: p.word::<SourceKinds>("source")?,
            kind: p.word::<MatterKinds>("type")?,
            status: p.word::<MatterStatuses>("status")?,
            state: p.word::<TrackStates>("state")?,
            light: p.word::<Lights>("light")?,
            role: p.word::<UnitRoles>("role")?,
            deadline_from: p.date("deadline_from", "截止日期起")?,
            deadline_to: p.date("deadline_to", "截止日期止")?,
            due_by: p.date("due_by", "时限截至")?,
            text: p.str("q"),
            sort: p.word::<BoardSorts>("sort")?,
            ..BoardParams::default()
        };
        let sort = f.sort.unwrap_or_default();
        // Keyset paging: `after` is the previous page's `next`.
        (f.limit, f.offset, f.after) = p.keyset(|a| {
            BoardCursor::parse(a, sort).map_err(|e| {
                // Well formed for another order: 422, not a malformed request.
                if BoardSorts::WORDS
                    .iter()
                    .any(|(_, s)| BoardCursor::parse(a, *s).is_ok())
                {
                    QueryError::Unprocessable(e)
                } else {
                    QueryError::Malformed(e)
                }
            })
        })?;
        Ok(f)
    }
}

/// The default overdue list's length and its bound.
pub const OVERDUE_DEFAULT: i64 = 20;
pub const OVERDUE_MAX: i64 = 200;
/// The default trend's months and their bound.
pub const MONTHS_DEFAULT: i64 = 12;
pub const MONTHS_MAX: i64 = 36;

/// What the statistics ask for (`GET /api/v1/stats`, the 工作台 and the
/// leader's page).
#[derive(Debug, Clone, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// 单位编号，多个用逗号分隔（与查看范围取交集）
    #[param(value_type = Option<String>, pattern = "^[0-9]{1,18}(,[0-9]{1,18})*$")]
    pub unit: Option<Vec<i64>>,
    /// 分管领导的用户编号：只看其分管单位（仅督查室）
    #[param(minimum = 1)]
    pub leader: Option<i64>,
    /// 逾期清单条数，0–200，默认 20
    #[param(value_type = Option<i64>, minimum = 0, maximum = 200)]
    pub overdue: i64,
    /// 月度趋势的月数（含本月），1–36，默认 12
    #[param(value_type = Option<i64>, minimum = 1, maximum = 36)]
    pub months: i64,
}

impl Default for StatsParams {
    fn default() -> StatsParams {
        StatsParams {
            unit: None,
            leader: None,
            overdue: OVERDUE_DEFAULT,
            months: MONTHS_DEFAULT,
        }
    }
}

impl FromParams for StatsParams {
    fn from_params(p: &mut Params) -> QueryResult<StatsParams> {
        Ok(StatsParams {
            unit: p.ids("unit", "单位")?,
            leader: p.i64("leader", "分管领导")?,
            overdue: p.i64_in("overdue", "逾期清单条数", 0..=OVERDUE_MAX, OVERDUE_DEFAULT)?,
            months: p.i64_in("months", "趋势月数", 1..=MONTHS_MAX, MONTHS_DEFAULT)?,
        })
    }
}

impl FromParams for TrackListQuery {
    fn from_params(p: &mut Params) -> QueryResult<TrackListQuery> {
        let mut query = TrackListQuery {
            units: p.ids("unit", "单位")?,
            matter: p.i64("matter", "事项")?,
            open_only: p.bool("open", true)?,
            state: p.word::<TrackStates>("state")?.map(|s| s.0.to_string()),
            light: p.word::<Lights>("light")?,
            role: p.word::<UnitRoles>("role")?,
            due_by: p.date("due_by", "时限截至")?,
            extension_pending: p.word::<Pendings>("pending")?.is_some(),
            // 我的待办: the tracks passed to the caller as 承办人.
            mine: p.bool("mine", false)?,
            ..TrackListQuery::default()
        };
        (query.limit, query.offset, query.after) =
            p.keyset(|a| TrackCursor::parse(a).map_err(QueryError::Malformed))?;
        Ok(query)
    }
}

/// What the list of appeals asks for (`GET /api/v1/appeals`, the 诉求
/// page).
#[derive(Debug, Clone, PartialEq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AppealListQuery {
    /// 诉求状态：pending、accepted、rejected
    #[param(value_type = Option<AppealStatuses>, inline)]
    pub status: Option<AppealStatus>,
    /// 每页条数，1–200，默认 50
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: i64,
    /// 起始位置，默认 0
    #[param(value_type = Option<i64>, minimum = 0)]
    pub offset: i64,
    /// 按游标翻页：上一页返回的 next（诉求编号，新的在前）；不能与 offset 同用
    #[param(value_type = Option<String>, pattern = "^[1-9][0-9]{0,17}$")]
    pub after: Option<i64>,
}

impl Default for AppealListQuery {
    fn default() -> AppealListQuery {
        AppealListQuery {
            status: None,
            limit: 50,
            offset: 0,
            after: None,
        }
    }
}

impl FromParams for AppealListQuery {
    fn from_params(p: &mut Params) -> QueryResult<AppealListQuery> {
        let status = p.word::<AppealStatuses>("status")?;
        // Keyset paging: `after` is the previous page's `next`, an
        // appeal's number; the page starts with the appeal raised before
        // it.
        let (limit, offset, after) = p.keyset(|raw| {
            let well_formed =
                raw.len() <= 18 && raw.bytes().all(|b| b.is_ascii_digit()) && !raw.starts_with('0');
            well_formed
                .then(|| raw.parse().ok())
                .flatten()
                .ok_or_else(|| {
                    QueryError::Malformed(format!(
                        "翻页位置 after“{raw}”无效：应为上一页返回的 next 值；从第一页开始请去掉 after"
                    ))
                })
        })?;
        Ok(AppealListQuery {
            status,
            limit,
            offset,
            after,
        })
    }
}

/// The words of an appeal status filter (`status=`): the code or the
/// Chinese name the pages show.
pub struct AppealStatuses;

impl Words for AppealStatuses {
    type Value = AppealStatus;
    const WHAT: &'static str = "诉求状态";
    const WORDS: &'static [(&'static [&'static str], AppealStatus)] = &[
        (
            &[AppealStatus::Pending.code(), AppealStatus::Pending.label()],
            AppealStatus::Pending,
        ),
        (
            &[
                AppealStatus::Accepted.code(),
                AppealStatus::Accepted.label(),
            ],
            AppealStatus::Accepted,
        ),
        (
            &[
                AppealStatus::Rejected.code(),
                AppealStatus::Rejected.label(),
            ],
            AppealStatus::Rejected,
        ),
    ];
}

/// What a search asks for (`GET /api/v1/search`, the 搜索 page).
#[derive(Debug, Clone, PartialEq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// 要搜索的内容（必填，最多 100 字）；空格分隔的几部分须同时出现
    #[param(rename = "q", min_length = 1, max_length = 100, pattern = "\\S")]
    pub text: String,
    /// 类别：document（公文）、matter（督办事项）、report（反馈）、appeal（诉求）
    #[param(value_type = Option<SearchKinds>, inline)]
    pub kind: Option<&'static str>,
    /// 单位编号：只看该单位承办的事项和反馈
    pub unit: Option<i64>,
    /// 发文机关全称（公文）
    #[param(max_length = 10000)]
    pub issuer: Option<String>,
    /// 起始日期（含）：公文的成文日期，其他为创建日期
    pub from: Option<NaiveDate>,
    /// 截止日期（含）
    pub to: Option<NaiveDate>,
    /// 状态：事项 open、closed、withdrawn；诉求 pending、accepted、rejected；反馈为其种类
    #[param(max_length = 10000)]
    pub state: Option<String>,
    /// 公文效力（按今天）：有效（或 true）、已修改、已失效、已废止；只返回该效力的公文
    #[param(value_type = Option<InForceWords>, inline)]
    pub in_force: Option<Status>,
    /// 每页条数，1–200，默认 50（最多返回 100 条）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: i64,
    /// 起始位置，0–10000，默认 0
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000)]
    pub offset: i64,
}

/// The longest search taken, in characters.
pub const MAX_SEARCH: usize = 100;
/// The furthest a search pages (`offset`).
pub const MAX_SEARCH_OFFSET: i64 = 10_000;

impl FromParams for SearchQuery {
    fn from_params(p: &mut Params) -> QueryResult<SearchQuery> {
        let text = p.str("q").unwrap_or_default();
        if text.is_empty() {
            return Err(QueryError::Malformed(
                "请输入要搜索的内容（参数 q），例如单位名称、发文字号或关键词".into(),
            ));
        }
        let length = text.chars().count();
        if length > MAX_SEARCH {
            return Err(QueryError::Malformed(format!(
                "搜索内容过长（{length} 字），请缩短到 {MAX_SEARCH} 字以内"
            )));
        }
        let kind = p.word::<SearchKinds>("kind")?;
        let unit = p.i64("unit", "单位编号")?;
        let issuer = p.str("issuer");
        let from = p.date("from", "起始日期")?;
        let to = p.date("to", "截止日期")?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(QueryError::Unprocessable(format!(
                    "起始日期 {f} 晚于截止日期 {t}；请调换或更正"
                )));
            }
        }
        let state = p.str("state");
        let in_force = p.word::<InForceWords>("in_force")?;
        let (limit, offset) = p.page()?;
        if offset > MAX_SEARCH_OFFSET {
            return Err(QueryError::Malformed(format!(
                "起始位置 offset 最多 {MAX_SEARCH_OFFSET}，收到 {offset}；请缩小搜索范围或加上筛选条件"
            )));
        }
        Ok(SearchQuery {
            text,
            kind,
            unit,
            issuer,
            from,
            to,
            state,
            in_force,
            limit: limit.min(100),
            offset,
        })
    }
}

/// The words of a search's kind (`kind=`): the kinds the index holds.
pub struct SearchKinds;

impl Words for SearchKinds {
    type Value = &'static str;
    const WHAT: &'static str = "搜索的类别";
    const WORDS: &'static [(&'static [&'static str], &'static str)] = &[
        (&[duban_search::KINDS[0].0], duban_search::KINDS[0].0),
        (&[duban_search::KINDS[1].0], duban_search::KINDS[1].0),
        (&[duban_search::KINDS[2].0], duban_search::KINDS[2].0),
        (&[duban_search::KINDS[3].0], duban_search::KINDS[3].0),
    ];
}

/// The words of a document's standing (`in_force=`).
pub struct InForceWords;

impl Words for InForceWords {
    type Value = Status;
    const WHAT: &'static str = "公文效力";
    const WORDS: &'static [(&'static [&'static str], Status)] = &[
        (&["有效", "in_force", "true"], Status::InForce),
        (&["已修改", "amended"], Status::Amended),
        (&["已失效", "expired"], Status::Expired),
        (&["已废止", "repealed"], Status::Repealed),
    ];
}

/// What a bulletin asks for (`GET /api/v1/reports/bulletin` and its
/// Word file, the 通报考核 page).
#[derive(Debug, Clone, PartialEq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BulletinParams {
    /// 期间：月 2024-09、季度 2024Q3 或年 2024；默认本季度
    #[param(value_type = Option<String>, pattern = "^(19|2[0-9])[0-9]{2}(-(0[1-9]|1[0-2])|[Qq][1-4])?$")]
    pub period: Option<Period>,
    /// 分管领导的用户编号：只看其分管单位（督查室）
    #[param(minimum = 1)]
    pub leader: Option<i64>,
    /// 判定日，默认期间末日（期间未结束时为今天），不能晚于今天
    pub as_of: Option<NaiveDate>,
    /// 逾期清单最多列出的条数（逾期最久的在前），0–5000，默认 200
    #[param(value_type = Option<i64>, minimum = 0, maximum = 5000)]
    pub overdue: i64,
    /// 文号（仅 Word 文件使用），如 督通〔2024〕3号
    #[param(max_length = 10000)]
    pub number: Option<String>,
    /// 发文机关（仅 Word 文件使用），默认 区人民政府督查室
    #[param(max_length = 10000)]
    pub issuer: Option<String>,
}

/// How many overdue tracks a bulletin lists by default, and at most.
pub const BULLETIN_OVERDUE_DEFAULT: i64 = 200;
pub const BULLETIN_OVERDUE_MAX: i64 = 5000;

impl Default for BulletinParams {
    fn default() -> BulletinParams {
        BulletinParams {
            period: None,
            leader: None,
            as_of: None,
            overdue: BULLETIN_OVERDUE_DEFAULT,
            number: None,
            issuer: None,
        }
    }
}

impl FromParams for BulletinParams {
    fn from_params(p: &mut Params) -> QueryResult<BulletinParams> {
        Ok(BulletinParams {
            period: period(p)?,
            leader: p.i64("leader", "分管领导")?,
            as_of: p.date("as_of", "判定日")?,
            overdue: p.i64_in(
                "overdue",
                "逾期清单条数",
                0..=BULLETIN_OVERDUE_MAX,
                BULLETIN_OVERDUE_DEFAULT,
            )?,
            number: p.str("number"),
            issuer: p.str("issuer"),
        })
    }
}

/// A period parameter (`2024-09`, `2024Q3`, `2024`).
fn period(p: &mut Params) -> QueryResult<Option<Period>> {
    p.str("period")
        .map(|s| Period::parse(&s).map_err(QueryError::Malformed))
        .transpose()
}

/// What the red and black lists ask for (`GET /api/v1/reports/redblack`).
#[derive(Debug, Clone, PartialEq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RedBlackParams {
    /// 期间：月、季度或年；默认本年
    #[param(value_type = Option<String>, pattern = "^(19|2[0-9])[0-9]{2}(-(0[1-9]|1[0-2])|[Qq][1-4])?$")]
    pub period: Option<Period>,
    /// 上榜单位数，1–50，默认 5
    #[param(value_type = Option<i64>, minimum = 1, maximum = 50)]
    pub n: i64,
    /// 分管领导的用户编号（督查室）
    #[param(minimum = 1)]
    pub leader: Option<i64>,
    /// 判定日，默认期间末日（期间未结束时为今天）
    pub as_of: Option<NaiveDate>,
}

/// Most units a list may name.
pub const RED_BLACK_MAX: i64 = 50;

impl Default for RedBlackParams {
    fn default() -> RedBlackParams {
        RedBlackParams {
            period: None,
            n: 5,
            leader: None,
            as_of: None,
        }
    }
}

impl FromParams for RedBlackParams {
    fn from_params(p: &mut Params) -> QueryResult<RedBlackParams> {
        Ok(RedBlackParams {
            period: period(p)?,
            n: p.i64_in("n", "上榜单位数", 1..=RED_BLACK_MAX, 5)?,
            leader: p.i64("leader", "分管领导")?,
            as_of: p.date("as_of", "判定日")?,
        })
    }
}

/// What the year-end assessment asks for (`GET /api/v1/reports/assessment`).
#[derive(Debug, Clone, Default, PartialEq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssessmentParams {
    /// 考核年度，默认本年
    #[param(value_type = Option<i64>, minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    /// 判定日，默认年末（本年为今天）
    pub as_of: Option<NaiveDate>,
    /// 分管领导的用户编号（督查室）
    #[param(minimum = 1)]
    pub leader: Option<i64>,
}

impl FromParams for AssessmentParams {
    fn from_params(p: &mut Params) -> QueryResult<AssessmentParams> {
        Ok(AssessmentParams {
            year: p.str("year").map(|y| assessment_year(&y)).transpose()?,
            as_of: p.date("as_of", "判定日")?,
            leader: p.i64("leader", "分管领导")?,
        })
    }
}

/// A year of the assessment, from a parameter or a path: 2000–2100.
pub fn assessment_year(raw: &str) -> QueryResult<i32> {
    match raw.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(QueryError::Malformed(format!(
            "年份应为 2000–2100 之间的四位数，收到“{raw}”"
        ))),
    }
}

/// What a list of inspections or summons asks for (`GET /api/v1/inspections`,
/// `GET /api/v1/summons`), within the caller's view.
#[derive(Debug, Clone, Default, PartialEq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordParams {
    /// 起始日期
    pub from: Option<NaiveDate>,
    /// 截止日期
    pub to: Option<NaiveDate>,
    /// 单位编号，多个用逗号分隔
    #[param(value_type = Option<String>, pattern = "^[0-9]{1,18}(,[0-9]{1,18})*$")]
    pub unit: Option<Vec<i64>>,
    /// 分管领导的用户编号（督查室）
    #[param(minimum = 1)]
    pub leader: Option<i64>,
}

impl FromParams for RecordParams {
    fn from_params(p: &mut Params) -> QueryResult<RecordParams> {
        Ok(RecordParams {
            from: p.date("from", "起始日期")?,
            to: p.date("to", "截止日期")?,
            unit: p.ids("unit", "单位")?,
            leader: p.i64("leader", "分管领导")?,
        })
    }
}

/// What the ledger export asks for (`GET /api/v1/ledger.xlsx`).
#[derive(Debug, Clone, Default, PartialEq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerParams {
    /// 只导出这些单位的行（单位编号，多个用逗号分隔），与本人可见范围取交集
    #[param(value_type = Option<String>, pattern = "^[0-9]{1,18}(,[0-9]{1,18})*$")]
    pub unit: Option<Vec<i64>>,
    /// 事项状态：open（办理中）、closed（已销号）、withdrawn（已撤销）
    #[param(value_type = Option<MatterStatuses>, inline)]
    pub status: Option<MatterStatus>,
}

impl FromParams for LedgerParams {
    fn from_params(p: &mut Params) -> QueryResult<LedgerParams> {
        Ok(LedgerParams {
            unit: p.ids("unit", "单位")?,
            status: p.word::<MatterStatuses>("status")?,
        })
    }
}

/// How a workbook is imported (`POST /api/v1/imports/tasks`,
/// `…/projects`).
#[derive(Debug, Clone, Default, PartialEq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// 文件名，用于报告；清单名称默认取表格标题，没有标题时取文件名
    #[param(max_length = 10000)]
    pub name: Option<String>,
    /// true 时只检查、返回报告，不写入
    #[param(value_type = Option<bool>)]
    pub dry_run: bool,
    /// 事项类型：普通、重大、持续，或启用中的自定义类型名称；默认持续推进（任务分解表中完成时限为“长期坚持”等的行总按持续推进）
    #[param(rename = "type", max_length = 10000)]
    pub matter_type: Option<String>,
    /// 清单名称（事项来源），默认取表格标题或文件名
    #[param(max_length = 10000)]
    pub list: Option<String>,
}

impl FromParams for ImportParams {
    fn from_params(p: &mut Params) -> QueryResult<ImportParams> {
        Ok(ImportParams {
            name: p.str("name"),
            dry_run: p.bool("dry_run", false)?,
            matter_type: p.str("type"),
            list: p.str("list"),
        })
    }
}

/// What the list of indicators asks for (`GET /api/v1/indicators`).
#[derive(Debug, Clone, Default, PartialEq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorParams {
    /// 牵头单位编号，多个用逗号分隔
    #[param(value_type = Option<String>, pattern = "^[0-9]{1,18}(,[0-9]{1,18})*$")]
    pub unit: Option<Vec<i64>>,
}

impl FromParams for IndicatorParams {
    fn from_params(p: &mut Params) -> QueryResult<IndicatorParams> {
        Ok(IndicatorParams {
            unit: p.ids("unit", "牵头单位")?,
        })
    }
}

/// What the check for similar matters asks for (`GET
/// /api/v1/matters/similar`): the matter about to be created.
#[derive(Debug, Clone, Default, PartialEq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarParams {
    /// 事项标题
    #[param(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    /// 事项内容
    #[param(value_type = Option<String>, min_length = 1, max_length = 9800, pattern = "\\S")]
    pub detail: String,
    /// 牵头单位编号，逗号分隔
    #[param(value_type = Option<String>, pattern = "^[0-9]{1,18}(,[0-9]{1,18})*$")]
    pub lead: Vec<i64>,
    /// 配合单位编号，逗号分隔
    #[param(value_type = Option<String>, pattern = "^[0-9]{1,18}(,[0-9]{1,18})*$")]
    pub co: Vec<i64>,
}

impl FromParams for SimilarParams {
    fn from_params(p: &mut Params) -> QueryResult<SimilarParams> {
        let similar = SimilarParams {
            title: p.str("title").unwrap_or_default(),
            detail: p.str("detail").unwrap_or_default(),
            lead: p.ids("lead", "牵头单位")?.unwrap_or_default(),
            co: p.ids("co", "配合单位")?.unwrap_or_default(),
        };
        if similar.title.is_empty() && similar.detail.is_empty() {
            return Err(QueryError::Malformed(
                "请填写事项标题（参数 title）或内容（参数 detail），以查找可能重复的事项".into(),
            ));
        }
        Ok(similar)
    }
}

/// The applications a list of tracks may wait on (`pending=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// An extension request the office has not decided.
    Extension,
}

/// The words of `pending=`.
pub struct Pendings;

impl Words for Pendings {
    type Value = Pending;
    const WHAT: &'static str = "待审核";
    const WORDS: &'static [(&'static [&'static str], Pending)] =
        &[(&["extension", "延期申请"], Pending::Extension)];
}

/// A matter's source as the board filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Document,
    Meeting,
    Instruction,
    List,
    Appeal,
}

/// The words of a matter source filter (`source=`).
pub struct SourceKinds;

impl Words for SourceKinds {
    type Value = SourceKind;
    const WHAT: &'static str = "事项来源";
    const WORDS: &'static [(&'static [&'static str], SourceKind)] = &[
        (&["document", "公文"], SourceKind::Document),
        (&["meeting", "会议"], SourceKind::Meeting),
        (
            &["instruction", "领导批示", "批示"],
            SourceKind::Instruction,
        ),
        (&["list", "清单"], SourceKind::List),
        (&["appeal", "诉求", "企业群众诉求"], SourceKind::Appeal),
    ];
}

/// A track state as a filter names it: its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateCode(pub &'static str);

/// The words of a track state filter (`state=`).
pub struct TrackStates;

impl Words for TrackStates {
    type Value = StateCode;
    const WHAT: &'static str = "办理状态";
    const WORDS: &'static [(&'static [&'static str], StateCode)] = &[
        (&[TrackState::CODES[0]], StateCode(TrackState::CODES[0])),
        (&[TrackState::CODES[1]], StateCode(TrackState::CODES[1])),
        (&[TrackState::CODES[2]], StateCode(TrackState::CODES[2])),
        (&[TrackState::CODES[3]], StateCode(TrackState::CODES[3])),
        (&[TrackState::CODES[4]], StateCode(TrackState::CODES[4])),
        (&[TrackState::CODES[5]], StateCode(TrackState::CODES[5])),
    ];
}

/// The words of a matter kind filter (`type=`).
pub struct MatterKinds;

impl Words for MatterKinds {
    type Value = MatterKind;
    const WHAT: &'static str = "事项类型";
    const WORDS: &'static [(&'static [&'static str], MatterKind)] = &[
        (&["ordinary", "普通", "普通事项"], MatterKind::Ordinary),
        (&["major", "重大", "重大事项"], MatterKind::Major),
        (
            &["continuing", "持续", "持续推进", "持续推进事项"],
            MatterKind::Continuing,
        ),
        (&["custom", "自定义", "自定义事项"], MatterKind::Custom),
    ];
}

/// The words of a matter status filter (`status=`).
pub struct MatterStatuses;

impl Words for MatterStatuses {
    type Value = MatterStatus;
    const WHAT: &'static str = "事项状态";
    const WORDS: &'static [(&'static [&'static str], MatterStatus)] = &[
        (
            &[MatterStatus::Open.code(), MatterStatus::Open.label()],
            MatterStatus::Open,
        ),
        (
            &[MatterStatus::Closed.code(), MatterStatus::Closed.label()],
            MatterStatus::Closed,
        ),
        (
            &[
                MatterStatus::Withdrawn.code(),
                MatterStatus::Withdrawn.label(),
            ],
            MatterStatus::Withdrawn,
        ),
    ];
}

/// The words of a light filter (`light=`).
pub struct Lights;

impl Words for Lights {
    type Value = LightFilter;
    const WHAT: &'static str = "灯色";
    const WORDS: &'static [(&'static [&'static str], LightFilter)] = &[
        (&["green", "绿灯", "绿"], LightFilter::Green),
        (&["yellow", "黄灯", "黄"], LightFilter::Yellow),
        (&["red", "红灯", "红"], LightFilter::Red),
        (&["done", "已办结"], LightFilter::Done),
        (&["unknown", "无法计算"], LightFilter::Unknown),
    ];
}

/// The words of a unit role filter (`role=`).
pub struct UnitRoles;

impl Words for UnitRoles {
    type Value = UnitRole;
    const WHAT: &'static str = "承办角色";
    const WORDS: &'static [(&'static [&'static str], UnitRole)] = &[
        (&["lead", "牵头", "牵头单位", "责任单位"], UnitRole::Lead),
        (&["co", "配合", "配合单位"], UnitRole::Co),
    ];
}

/// The words of the board's order (`sort=`).
pub struct BoardSorts;

impl Words for BoardSorts {
    type Value = BoardSort;
    const WHAT: &'static str = "排序";
    const WORDS: &'static [(&'static [&'static str], BoardSort)] = &[
        (&["-created", "newest"], BoardSort::Newest),
        (&["created", "oldest"], BoardSort::Oldest),
        (&["deadline"], BoardSort::Deadline),
        (&["-deadline"], BoardSort::DeadlineDesc),
        (&["due"], BoardSort::Due),
    ];
}

words_schema!(
    AppealStatuses,
    SearchKinds,
    InForceWords,
    Pendings,
    SourceKinds,
    TrackStates,
    MatterKinds,
    MatterStatuses,
    Lights,
    UnitRoles,
    BoardSorts
);
