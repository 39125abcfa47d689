//! Matters (督办事项) and the words that describe them: the matter types
//! with their 13710 terms, where a matter came from, the role a unit plays on
//! it (牵头 / 配合), and the grade the office gives when it closes a unit's
//! track. Plain data: the time limits are computed in [`crate::limits`], the
//! state machine of a unit's track lives in [`crate::workflow`].

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A unit (单位) in the organisation tree.
pub type UnitId = i64;
/// A supervised matter (督办事项).
pub type MatterId = i64;
/// One unit's track on one matter.
pub type TrackId = i64;
/// A person who signs in.
pub type UserId = i64;
/// A stored official document (公文).
pub type DocumentId = i64;
/// An inclusive range of 1-based input line numbers of a document, as in the
/// extraction contract.
pub type LineSpan = [u32; 2];

/// What sort of matter this is, which decides its terms under the 13710 rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatterKind {
    /// 普通事项: deployed the same day, reported on within 3 days, resolved
    /// within 7.
    Ordinary,
    /// 重大事项 (重大复杂事项): resolved within a month, or a timetable and a
    /// plan are given (an extension).
    Major,
    /// 持续推进事项: runs for a long time and reports at set nodes (each
    /// quarter, or each month) until closed.
    Continuing,
    /// A type an office set up with its own terms.
    Custom,
}

impl MatterKind {
    pub const ALL: [MatterKind; 4] = [
        MatterKind::Ordinary,
        MatterKind::Major,
        MatterKind::Continuing,
        MatterKind::Custom,
    ];

    /// The code, as stored and as the API takes it.
    pub const fn code(self) -> &'static str {
        match self {
            MatterKind::Ordinary => "ordinary",
            MatterKind::Major => "major",
            MatterKind::Continuing => "continuing",
            MatterKind::Custom => "custom",
        }
    }

    /// The Chinese name shown to users.
    pub const fn label(self) -> &'static str {
        match self {
            MatterKind::Ordinary => "普通事项",
            MatterKind::Major => "重大事项",
            MatterKind::Continuing => "持续推进事项",
            MatterKind::Custom => "自定义事项",
        }
    }
}

/// How the days of a term are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// 自然日: every day counts.
    Calendar,
    /// 工作日: only working days of the official calendar count (weekends and
    /// public holidays do not; 调休 weekend workdays do).
    Working,
}

impl Counting {
    pub fn label(self) -> &'static str {
        match self {
            Counting::Calendar => "自然日",
            Counting::Working => "工作日",
        }
    }
}

/// The length of a resolve term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// `n` days (calendar or working, as the type counts) after assignment.
    Days(u32),
    /// `n` months after assignment: the same day `n` months later (the last
    /// day of that month when it is shorter).
    Months(u32),
}

/// When a continuing matter reports (its nodes, 节点).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// Each quarter (一季度、半年、三季度、全年): due by the end of the first
    /// working week after the quarter.
    Quarterly,
    /// Each month by a set day (每月23日前); a day past the end of a short
    /// month means that month's last day.
    Monthly { day: u32 },
}

/// A matter type: its name and its 13710 terms. The standard types are made
/// by [`MatterType::ordinary`], [`MatterType::major`] and
/// [`MatterType::continuing`]; an office may set up its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterType {
    /// The name shown to users, e.g. 普通事项.
    pub name: String,
    pub kind: MatterKind,
    pub counting: Counting,
    /// Days after assignment by which the unit signs for and deploys the
    /// matter; 0 is the same day (the "1" of 13710).
    pub deploy_days: u32,
    /// Days after assignment by which the unit gives its first progress
    /// report (the "3").
    pub report_days: u32,
    /// The term by which the unit applies to close (the "7" and the second
    /// "1"); `None` when the matter runs until its own deadline (continuing
    /// matters).
    pub resolve: Option<Term>,
    /// The reporting nodes of a continuing matter.
    pub schedule: Option<Schedule>,
    /// How many days (in the type's counting) before a limit the light turns
    /// yellow; 0 makes only the last day yellow.
    pub near_days: u32,
}

impl MatterType {
    /// A standard type by the name an office uses for it (普通, 重大,
    /// 持续推进, their longer forms, or ordinary, major, continuing).
    pub fn by_name(name: &str) -> Option<MatterType> {
        match name.trim() {
            "普通" | "普通事项" | "ordinary" => Some(MatterType::ordinary()),
            "重大" | "重大事项" | "重大复杂事项" | "major" => Some(MatterType::major()),
            "持续" | "持续推进" | "持续推进事项" | "continuing" => {
                Some(MatterType::continuing())
            }
            _ => None,
        }
    }

    /// 普通事项: same day, 3 working days, 7 working days.
    pub fn ordinary() -> MatterType {
        MatterType {
            name: MatterKind::Ordinary.label().to_string(),
            kind: MatterKind::Ordinary,
            counting: Counting::Working,
            deploy_days: 0,
            report_days: 3,
            resolve: Some(Term::Days(7)),
            schedule: None,
            near_days: 1,
        }
    }

    /// 重大事项: same day, 3 working days, one month.
    pub fn major() -> MatterType {
        MatterType {
            name: MatterKind::Major.label().to_string(),
            kind: MatterKind::Major,
            counting: Counting::Working,
            deploy_days: 0,
            report_days: 3,
            resolve: Some(Term::Months(1)),
            schedule: None,
            near_days: 3,
        }
    }

    /// 持续推进事项 reporting each quarter.
    pub fn continuing() -> MatterType {
        MatterType::continuing_with(Schedule::Quarterly)
    }

    /// 持续推进事项 reporting on the given schedule.
    pub fn continuing_with(schedule: Schedule) -> MatterType {
        MatterType {
            name: MatterKind::Continuing.label().to_string(),
            kind: MatterKind::Continuing,
            counting: Counting::Working,
            deploy_days: 0,
            report_days: 3,
            resolve: None,
            schedule: Some(schedule),
            near_days: 2,
        }
    }

    /// The three standard types.
    pub fn standard() -> Vec<MatterType> {
        vec![
            MatterType::ordinary(),
            MatterType::major(),
            MatterType::continuing(),
        ]
    }

    /// The same type counting days the other way.
    pub fn with_counting(mut self, counting: Counting) -> MatterType {
        self.counting = counting;
        self
    }

    /// The same type with another resolve term (a major matter "within N
    /// days" instead of a month).
    pub fn with_resolve(mut self, resolve: Option<Term>) -> MatterType {
        self.resolve = resolve;
        self
    }

    /// The same type with another yellow-light margin.
    pub fn with_near_days(mut self, near_days: u32) -> MatterType {
        self.near_days = near_days;
        self
    }

    /// Checks that the terms make sense together; the message says what to
    /// change.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("事项类型名称不能为空".to_string());
        }
        if self.report_days < self.deploy_days {
            return Err(format!(
                "反馈时限（{}天）早于部署时限（{}天）；请把反馈时限设为不少于部署时限",
                self.report_days, self.deploy_days
            ));
        }
        if let Some(Term::Days(n)) = self.resolve {
            if n < self.report_days {
                return Err(format!(
                    "办结时限（{n}天）早于反馈时限（{}天）；请把办结时限设为不少于反馈时限",
                    self.report_days
                ));
            }
        }
        if let Some(Term::Months(0)) = self.resolve {
            return Err("办结时限不能是0个月；当天办结请设为0天".to_string());
        }
        if let Some(Schedule::Monthly { day }) = self.schedule {
            if !(1..=31).contains(&day) {
                return Err(format!("每月报送日（{day}日）应在1日到31日之间"));
            }
        }
        if self.kind == MatterKind::Continuing && self.schedule.is_none() {
            return Err("持续推进事项须设定报送节点（每季度或每月）".to_string());
        }
        Ok(())
    }
}

/// The part a unit plays on a matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 牵头单位 / 责任单位: the matter closes when every lead unit's track is
    /// closed.
    Lead,
    /// 配合单位.
    Co,
}

impl Role {
    /// The code, as stored and as the API takes it.
    pub const fn code(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Co => "co",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "牵头单位",
            Role::Co => "配合单位",
        }
    }
}

/// The office's grade when it closes a track after review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 优秀
    Excellent,
    /// 良好
    Good,
    /// 合格
    Pass,
    /// 不合格
    Fail,
}

impl Grade {
    /// Best first.
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail];

    pub fn label(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Good => "良好",
            Grade::Pass => "合格",
            Grade::Fail => "不合格",
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A grade name that is not one of 优秀, 良好, 合格, 不合格.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseGradeError(pub String);

impl fmt::Display for ParseGradeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "无法识别的评定等次“{}”；请填写优秀、良好、合格或不合格",
            self.0
        )
    }
}

impl std::error::Error for ParseGradeError {}

impl FromStr for Grade {
    type Err = ParseGradeError;

    /// Reads the Chinese label (surrounding whitespace ignored) or the
    /// snake_case code.
    fn from_str(s: &str) -> Result<Grade, ParseGradeError> {
        let t = s.trim();
        Grade::ALL
            .into_iter()
            .find(|g| g.label() == t || format!("{g:?}").eq_ignore_ascii_case(t))
            .ok_or_else(|| ParseGradeError(t.to_string()))
    }
}

/// Where a matter came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Source {
    /// An item of an official document, with the document lines that hold it.
    Document {
        document_id: DocumentId,
        spans: Vec<LineSpan>,
    },
    /// A meeting decision (常务会议, 专题会议), entered by hand.
    Meeting {
        name: String,
        date: Option<NaiveDate>,
    },
    /// A leader's instruction (批示).
    Instruction {
        leader: String,
        date: Option<NaiveDate>,
    },
    /// An item of a list kept by the office (十件实事, 重点工程项目).
    List { list: String, item: String },
    /// A problem raised by an enterprise or the public (诉求, 12345 ticket).
    Appeal {
        from: String,
        channel: String,
        reference: Option<String>,
    },
}

impl Source {
    /// The Chinese name of the kind of source.
    pub fn label(&self) -> &'static str {
        match self {
            Source::Document { .. } => "公文",
            Source::Meeting { .. } => "会议",
            Source::Instruction { .. } => "领导批示",
            Source::List { .. } => "清单",
            Source::Appeal { .. } => "企业群众诉求",
        }
    }
}

/// Whether a matter is still being followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatterStatus {
    Open,
    /// Every lead track is closed (销号).
    Closed,
    /// Withdrawn by the office (撤销); not counted in assessments.
    Withdrawn,
}

impl MatterStatus {
    pub const ALL: [MatterStatus; 3] = [
        MatterStatus::Open,
        MatterStatus::Closed,
        MatterStatus::Withdrawn,
    ];

    /// The status of a stored code.
    pub fn from_code(code: &str) -> Option<MatterStatus> {
        MatterStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The code, as stored and as the API takes it.
    pub const fn code(self) -> &'static str {
        match self {
            MatterStatus::Open => "open",
            MatterStatus::Closed => "closed",
            MatterStatus::Withdrawn => "withdrawn",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            MatterStatus::Open => "办理中",
            MatterStatus::Closed => "已销号",
            MatterStatus::Withdrawn => "已撤销",
        }
    }
}

/// A supervised matter. Each assigned unit carries it on its own
/// [`crate::workflow::Track`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matter {
    pub id: MatterId,
    pub title: String,
    /// The full text of the task.
    pub detail: String,
    pub matter_type: MatterType,
    pub source: Source,
    /// The matter's own deadline (2023年底前), when its source sets one; it
    /// replaces the type's resolve term on every track.
    pub deadline: Option<NaiveDate>,
    pub status: MatterStatus,
    pub created_at: NaiveDateTime,
}

/// Why a matter cannot be assigned or withdrawn as asked, each saying in
/// Chinese what was wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatterError {
    /// The title is empty.
    NoTitle,
    /// No lead (responsible) unit.
    NoLead,
    /// A unit is both lead and co.
    LeadAndCo(UnitId),
    /// A unit is listed twice.
    Repeated(UnitId),
    /// The matter type breaks its own rules ([`MatterType::validate`]).
    Type(String),
    /// A title longer than 200 characters.
    TitleTooLong,
    /// A reassignment (改派) leaves no lead unit.
    NoLeadAfterReassignment,
    /// A reassignment lists a unit twice, or as lead and co.
    RepeatedInReassignment(UnitId),
    /// An office action (改派, 催办, …) without a reason.
    NoReasonFor(&'static str),
    /// An office action's reason over 2000 characters.
    ReasonTooLong(&'static str),
    /// An office action on a matter that is no longer open.
    NotOpen {
        status: MatterStatus,
        what: &'static str,
    },
    /// A withdrawal without a reason.
    NoReason,
    /// The matter was closed (销号); its record counts in assessments.
    AlreadyClosed,
    /// The matter was withdrawn already.
    AlreadyWithdrawn,
}

impl fmt::Display for MatterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatterError::NoTitle => f.write_str("事项标题不能为空"),
            MatterError::NoLead => f.write_str("至少需要一个牵头（责任）单位"),
            MatterError::LeadAndCo(u) => write!(f, "单位 {u} 不能既是牵头单位又是配合单位"),
            MatterError::Repeated(u) => write!(f, "单位 {u} 重复列出；每个单位只能交办一次"),
            MatterError::Type(m) => f.write_str(m),
            MatterError::TitleTooLong => {
                f.write_str("事项标题不超过200字；详细内容请写在事项内容中")
            }
            MatterError::NoLeadAfterReassignment => {
                f.write_str("改派后至少需要一个牵头（责任）单位")
            }
            MatterError::RepeatedInReassignment(u) => write!(
                f,
                "单位 {u} 重复列出或既是牵头单位又是配合单位；每个单位只能列一次"
            ),
            MatterError::NoReasonFor(what) => write!(f, "{what}须写明理由；请填写理由"),
            MatterError::ReasonTooLong(what) => write!(f, "{what}的理由不超过2000字"),
            MatterError::NotOpen { status, what } => match status {
                MatterStatus::Closed => write!(f, "该事项已办结销号，不能{what}"),
                _ => write!(f, "该事项已撤销，不能{what}"),
            },
            MatterError::NoReason => f.write_str("撤销事项须写明理由；请填写撤销理由"),
            MatterError::AlreadyClosed => {
                f.write_str("该事项已办结销号，不能撤销；办结记录计入考核")
            }
            MatterError::AlreadyWithdrawn => f.write_str("该事项已撤销，无需重复撤销"),
        }
    }
}

impl std::error::Error for MatterError {}

/// Checks a matter about to be assigned: a title, at least one lead unit,
/// no unit twice (as lead and co, or twice in one list), and a type that
/// keeps its own rules. Whether the units exist is the store's to check.
pub fn check_assignment(
    title: &str,
    lead: &[UnitId],
    co: &[UnitId],
    ty: &MatterType,
) -> Result<(), MatterError> {
    if title.trim().is_empty() {
        return Err(MatterError::NoTitle);
    }
    if lead.is_empty() {
        return Err(MatterError::NoLead);
    }
    if let Some(u) = co.iter().find(|u| lead.contains(u)) {
        return Err(MatterError::LeadAndCo(*u));
    }
    let all: Vec<UnitId> = lead.iter().chain(co).copied().collect();
    for (i, u) in all.iter().enumerate() {
        if all[..i].contains(u) {
            return Err(MatterError::Repeated(*u));
        }
    }
    ty.validate().map_err(MatterError::Type)
}

/// A matter's new title (an edit), trimmed: not empty, at most 200
/// characters.
pub fn edited_title(title: &str) -> Result<&str, MatterError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(MatterError::NoTitle);
    }
    if title.chars().count() > 200 {
        return Err(MatterError::TitleTooLong);
    }
    Ok(title)
}

/// Checks the units of a reassignment (改派): at least one lead unit, and
/// no unit twice in either list or in both.
pub fn check_reassignment(lead: &[UnitId], co: &[UnitId]) -> Result<(), MatterError> {
    if lead.is_empty() {
        return Err(MatterError::NoLeadAfterReassignment);
    }
    let all: Vec<UnitId> = lead.iter().chain(co).copied().collect();
    for (i, u) in all.iter().enumerate() {
        if all[..i].contains(u) {
            return Err(MatterError::RepeatedInReassignment(*u));
        }
    }
    Ok(())
}

/// The reason for an office action on a matter (`what`: 改派, 催办, …),
/// trimmed: required, at most 2000 characters.
pub fn reason_for<'a>(what: &'static str, reason: &'a str) -> Result<&'a str, MatterError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(MatterError::NoReasonFor(what));
    }
    if r.chars().count() > 2000 {
        return Err(MatterError::ReasonTooLong(what));
    }
    Ok(r)
}

/// Whether the office may act (`what`) on a matter in `status`: only an
/// open one.
pub fn check_open(status: MatterStatus, what: &'static str) -> Result<(), MatterError> {
    match status {
        MatterStatus::Open => Ok(()),
        status => Err(MatterError::NotOpen { status, what }),
    }
}

/// The reason given for a withdrawal (撤销), trimmed; one is required.
pub fn withdrawal_reason(reason: &str) -> Result<&str, MatterError> {
    match reason.trim() {
        "" => Err(MatterError::NoReason),
        r => Ok(r),
    }
}

/// Whether a matter in `status` may be withdrawn: only an open one.
pub fn check_withdrawal(status: MatterStatus) -> Result<(), MatterError> {
    match status {
        MatterStatus::Open => Ok(()),
        MatterStatus::Closed => Err(MatterError::AlreadyClosed),
        MatterStatus::Withdrawn => Err(MatterError::AlreadyWithdrawn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_read_chinese_and_codes() {
        for g in Grade::ALL {
            assert_eq!(g.label().parse::<Grade>(), Ok(g));
            assert_eq!(format!(" {} ", g.label()).parse::<Grade>(), Ok(g));
        }
        assert_eq!("pass".parse::<Grade>(), Ok(Grade::Pass));
        let e = "较好".parse::<Grade>().unwrap_err();
        assert!(e.to_string().contains("较好"));
        assert!(e.to_string().contains("优秀、良好、合格或不合格"));
    }

    #[test]
    fn standard_types_are_valid() {
        for t in MatterType::standard() {
            assert_eq!(t.validate(), Ok(()), "{}", t.name);
        }
        assert_eq!(MatterType::ordinary().name, "普通事项");
        assert_eq!(MatterType::major().name, "重大事项");
        assert_eq!(MatterType::continuing().name, "持续推进事项");
        let bad = MatterType::continuing_with(Schedule::Monthly { day: 32 });
        assert!(bad.validate().unwrap_err().contains("32日"));
    }

    #[test]
    fn codes_are_the_serde_names() {
        use crate::workflow::TrackState;
        let serde_name = |v: serde_json::Value| match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Object(o) => o.keys().next().cloned().unwrap_or_default(),
            other => panic!("not a tag: {other}"),
        };
        for s in MatterStatus::ALL {
            assert_eq!(serde_name(serde_json::to_value(s).unwrap()), s.code());
        }
        for k in MatterKind::ALL {
            assert_eq!(serde_name(serde_json::to_value(k).unwrap()), k.code());
        }
        for r in [Role::Lead, Role::Co] {
            assert_eq!(serde_name(serde_json::to_value(r).unwrap()), r.code());
        }
        let states = [
            TrackState::Assigned,
            TrackState::SignedFor,
            TrackState::CloseRequested,
            TrackState::Returned,
            TrackState::Closed { grade: Grade::Pass },
            TrackState::Withdrawn,
        ];
        assert_eq!(states.map(TrackState::code), TrackState::CODES);
        for t in states {
            assert_eq!(serde_name(serde_json::to_value(t).unwrap()), t.code());
        }
    }

    #[test]
    fn serde_is_snake_case() {
        let j = serde_json::to_string(&MatterType::major()).unwrap();
        assert!(j.contains("\"kind\":\"major\""), "{j}");
        assert!(j.contains("\"resolve\":{\"months\":1}"), "{j}");
        let j = serde_json::to_string(&Schedule::Monthly { day: 23 }).unwrap();
        assert_eq!(j, "{\"monthly\":{\"day\":23}}");
        let s = Source::Document {
            document_id: 7,
            spans: vec![[10, 12]],
        };
        let j = serde_json::to_string(&s).unwrap();
        assert_eq!(
            j,
            "{\"type\":\"document\",\"document_id\":7,\"spans\":[[10,12]]}"
        );
        assert_eq!(serde_json::from_str::<Source>(&j).unwrap(), s);
        assert_eq!(
            serde_json::to_string(&Grade::Excellent).unwrap(),
            "\"excellent\""
        );
    }

    #[test]
    fn assignment_cases() {
        let ordinary = MatterType::ordinary();
        let bad_type = MatterType::continuing_with(Schedule::Monthly { day: 32 });
        // title, lead, co, type ⇒ the refusal, or None.
        type Case<'a> = (
            &'a str,
            &'a [UnitId],
            &'a [UnitId],
            &'a MatterType,
            Option<MatterError>,
        );
        let cases: [Case; 9] = [
            ("整治", &[1], &[2, 3], &ordinary, None),
            ("整治", &[1, 2], &[], &ordinary, None),
            ("", &[1], &[], &ordinary, Some(MatterError::NoTitle)),
            ("  ", &[1], &[], &ordinary, Some(MatterError::NoTitle)),
            ("整治", &[], &[2], &ordinary, Some(MatterError::NoLead)),
            (
                "整治",
                &[1, 2],
                &[3, 2],
                &ordinary,
                Some(MatterError::LeadAndCo(2)),
            ),
            (
                "整治",
                &[1, 1],
                &[],
                &ordinary,
                Some(MatterError::Repeated(1)),
            ),
            (
                "整治",
                &[1],
                &[3, 3],
                &ordinary,
                Some(MatterError::Repeated(3)),
            ),
            (
                "整治",
                &[1],
                &[],
                &bad_type,
                Some(MatterError::Type(bad_type.validate().unwrap_err())),
            ),
        ];
        for (title, lead, co, ty, want) in cases {
            assert_eq!(
                check_assignment(title, lead, co, ty).err(),
                want,
                "{title:?} {lead:?} {co:?}"
            );
        }
        assert_eq!(
            MatterError::LeadAndCo(2).to_string(),
            "单位 2 不能既是牵头单位又是配合单位"
        );
        assert!(
            MatterError::Type("每月报送日（32日）应在1日到31日之间".into())
                .to_string()
                .contains("32日")
        );
    }

    #[test]
    fn office_action_cases() {
        let long = "字".repeat(201);
        // title ⇒ what is kept, or the refusal.
        let titles = [
            (" 整治噪声 ", Ok("整治噪声")),
            ("", Err(MatterError::NoTitle)),
            (&long[..], Err(MatterError::TitleTooLong)),
            (&long[3..], Ok(&long[3..])),
        ];
        for (title, want) in titles {
            assert_eq!(edited_title(title), want, "{title:?}");
        }
        // lead, co ⇒ the refusal, or None.
        let units: [(&[UnitId], &[UnitId], Option<MatterError>); 5] = [
            (&[1], &[2], None),
            (&[], &[2], Some(MatterError::NoLeadAfterReassignment)),
            (&[1, 2], &[2], Some(MatterError::RepeatedInReassignment(2))),
            (&[1, 1], &[], Some(MatterError::RepeatedInReassignment(1))),
            (&[1], &[3, 3], Some(MatterError::RepeatedInReassignment(3))),
        ];
        for (lead, co, want) in units {
            assert_eq!(check_reassignment(lead, co).err(), want, "{lead:?} {co:?}");
        }
        let long = "理".repeat(2001);
        let reasons = [
            (" 职能调整 ", Ok("职能调整")),
            ("  ", Err(MatterError::NoReasonFor("改派"))),
            (&long[..], Err(MatterError::ReasonTooLong("改派"))),
        ];
        for (reason, want) in reasons {
            assert_eq!(reason_for("改派", reason), want, "{reason:?}");
        }
        // status ⇒ the words of the refusal, or none.
        let statuses = [
            (MatterStatus::Open, None),
            (MatterStatus::Closed, Some("该事项已办结销号，不能催办")),
            (MatterStatus::Withdrawn, Some("该事项已撤销，不能催办")),
        ];
        for (status, want) in statuses {
            let got = check_open(status, "催办").err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), want, "{status:?}");
        }
        assert_eq!(
            MatterError::NoReasonFor("改派").to_string(),
            "改派须写明理由；请填写理由"
        );
        for s in MatterStatus::ALL {
            assert_eq!(MatterStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(MatterStatus::from_code("pending"), None);
    }

    #[test]
    fn withdrawal_cases() {
        use MatterStatus::*;
        // status ⇒ the refusal, or None.
        let cases = [
            (Open, None),
            (Closed, Some(MatterError::AlreadyClosed)),
            (Withdrawn, Some(MatterError::AlreadyWithdrawn)),
        ];
        for (status, want) in cases {
            assert_eq!(check_withdrawal(status).err(), want, "{status:?}");
        }
        // reason ⇒ what is kept, or the refusal.
        let reasons = [
            ("重复交办", Ok("重复交办")),
            ("  重复交办\n", Ok("重复交办")),
            ("", Err(MatterError::NoReason)),
            (" \t", Err(MatterError::NoReason)),
        ];
        for (reason, want) in reasons {
            assert_eq!(withdrawal_reason(reason), want, "{reason:?}");
        }
    }
}
