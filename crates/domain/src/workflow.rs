//! The track state machine: each unit assigned to a matter carries it on its
//! own [`Track`], from assignment (交办) through sign-for (签收), progress
//! reports (反馈) and the close application (申请办结) to the office's review,
//! which returns it (退回) or closes it with a grade (销号). Extensions (延期)
//! run beside the main states. [`apply`] is a pure function: a track is the
//! fold of its actions, so the event log can replay it.
//!
//! Who may act is a matter of authorisation, decided elsewhere; this module
//! only says whether an action is the unit's or the office's
//! ([`Action::actor`]) and whether the track's state allows it.

use crate::matter::{Grade, MatterId, MatterStatus, Role, TrackId, UnitId};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a unit's track stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackState {
    /// 待签收: assigned, not yet signed for.
    Assigned,
    /// 办理中: signed for; the unit reports and carries on.
    SignedFor,
    /// 待审核: the unit applied to close; the office reviews.
    CloseRequested,
    /// 已退回: the office returned the close application; the unit carries
    /// on as when signed for.
    Returned,
    /// 已办结 (销号) with the office's grade.
    Closed { grade: Grade },
    /// 已撤销: the office withdrew the matter from this unit.
    Withdrawn,
}

impl TrackState {
    /// The codes of the states, as [`TrackState::code`] gives them.
    pub const CODES: [&'static str; 6] = [
        "assigned",
        "signed_for",
        "close_requested",
        "returned",
        "closed",
        "withdrawn",
    ];

    /// The state's code, as stored and as the API takes it (`closed`
    /// whatever the grade).
    pub const fn code(self) -> &'static str {
        match self {
            TrackState::Assigned => "assigned",
            TrackState::SignedFor => "signed_for",
            TrackState::CloseRequested => "close_requested",
            TrackState::Returned => "returned",
            TrackState::Closed { .. } => "closed",
            TrackState::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TrackState::Assigned => "待签收",
            TrackState::SignedFor => "办理中",
            TrackState::CloseRequested => "待审核",
            TrackState::Returned => "已退回",
            TrackState::Closed { .. } => "已办结",
            TrackState::Withdrawn => "已撤销",
        }
    }

    /// Still being carried or reviewed (neither closed nor withdrawn).
    pub fn is_open(self) -> bool {
        !matches!(self, TrackState::Closed { .. } | TrackState::Withdrawn)
    }

    /// The unit is carrying on: it may report, apply to close, or ask for
    /// more time.
    pub fn is_carrying_on(self) -> bool {
        matches!(self, TrackState::SignedFor | TrackState::Returned)
    }
}

/// An extension request waiting for the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRequest {
    /// The new resolve date asked for.
    pub until: NaiveDate,
    /// The timetable and plan (时间表、路线图) that go with it.
    pub plan: String,
    #[serde(deserialize_with = "crate::stamp::one")]
    pub requested_at: NaiveDateTime,
}

/// One unit's part in one matter, with the history the limits and the
/// assessment need. Texts (reports, reasons) live in the event log; the track
/// keeps when things happened and how often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Track {
    pub id: TrackId,
    pub matter_id: MatterId,
    pub unit_id: UnitId,
    pub role: Role,
    pub state: TrackState,
    /// A fixed resolve date for this unit (the matter's own deadline, such as
    /// 2023年底前, or one the office set at assignment); it replaces the
    /// type's resolve term.
    pub deadline: Option<NaiveDate>,
    #[serde(deserialize_with = "crate::stamp::one")]
    pub assigned_at: NaiveDateTime,
    #[serde(default, deserialize_with = "crate::stamp::opt")]
    pub signed_at: Option<NaiveDateTime>,
    /// Every time the unit gave an account of its work: each progress report
    /// and each close application (the final report), in order.
    #[serde(deserialize_with = "crate::stamp::many")]
    pub report_times: Vec<NaiveDateTime>,
    /// The last close application.
    #[serde(default, deserialize_with = "crate::stamp::opt")]
    pub close_requested_at: Option<NaiveDateTime>,
    /// The last return.
    #[serde(default, deserialize_with = "crate::stamp::opt")]
    pub returned_at: Option<NaiveDateTime>,
    pub returns: u32,
    #[serde(default, deserialize_with = "crate::stamp::opt")]
    pub closed_at: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "crate::stamp::opt")]
    pub withdrawn_at: Option<NaiveDateTime>,
    /// The extension request waiting for the office, if any (at most one).
    pub pending_extension: Option<ExtensionRequest>,
    /// The resolve date of the last granted extension; it replaces every
    /// other resolve limit.
    pub extended_until: Option<NaiveDate>,
    /// The plan that came with the last granted extension.
    pub extension_plan: Option<String>,
    pub extensions_granted: u32,
    pub extensions_refused: u32,
    /// When the track last changed; actions may not go back before it.
    #[serde(deserialize_with = "crate::stamp::one")]
    pub updated_at: NaiveDateTime,
}

impl Track {
    /// A track as assigned.
    pub fn new(
        id: TrackId,
        matter_id: MatterId,
        unit_id: UnitId,
        role: Role,
        assigned_at: NaiveDateTime,
    ) -> Track {
        Track {
            id,
            matter_id,
            unit_id,
            role,
            state: TrackState::Assigned,
            deadline: None,
            assigned_at,
            signed_at: None,
            report_times: Vec::new(),
            close_requested_at: None,
            returned_at: None,
            returns: 0,
            closed_at: None,
            withdrawn_at: None,
            pending_extension: None,
            extended_until: None,
            extension_plan: None,
            extensions_granted: 0,
            extensions_refused: 0,
            updated_at: assigned_at,
        }
    }

    /// The same track with a fixed resolve date.
    pub fn with_deadline(mut self, deadline: Option<NaiveDate>) -> Track {
        self.deadline = deadline;
        self
    }

    /// How many accounts the unit gave (reports and close applications).
    pub fn reports(&self) -> usize {
        self.report_times.len()
    }

    pub fn first_report_at(&self) -> Option<NaiveDateTime> {
        self.report_times.first().copied()
    }

    pub fn last_report_at(&self) -> Option<NaiveDateTime> {
        self.report_times.last().copied()
    }

    /// The office's grade, once closed.
    pub fn grade(&self) -> Option<Grade> {
        match self.state {
            TrackState::Closed { grade } => Some(grade),
            _ => None,
        }
    }

    pub fn is_open(&self) -> bool {
        self.state.is_open()
    }
}

/// Who takes an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The assigned unit (its first responsible person, liaison or handler).
    Unit,
    /// The supervision office (督查室).
    Office,
}

/// Something done to a track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Action {
    /// 签收 (the unit's same-day deployment).
    SignFor,
    /// 反馈: a progress report.
    Report { text: String },
    /// 申请办结, with the result.
    ApplyToClose { text: String },
    /// 退回: the office sends the close application back.
    Return { reason: String },
    /// 办结 (销号) with a grade after review.
    Close { grade: Grade, reason: String },
    /// 申请延期 to `until`, with a timetable and plan.
    RequestExtension { until: NaiveDate, plan: String },
    /// 批准延期.
    GrantExtension,
    /// 不予延期.
    RefuseExtension { reason: String },
    /// 撤销: the office withdraws the matter from this unit.
    Withdraw,
}

/// The kind of an [`Action`], without its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    SignFor,
    Report,
    ApplyToClose,
    Return,
    Close,
    RequestExtension,
    GrantExtension,
    RefuseExtension,
    Withdraw,
}

impl ActionKind {
    pub const ALL: [ActionKind; 9] = [
        ActionKind::SignFor,
        ActionKind::Report,
        ActionKind::ApplyToClose,
        ActionKind::Return,
        ActionKind::Close,
        ActionKind::RequestExtension,
        ActionKind::GrantExtension,
        ActionKind::RefuseExtension,
        ActionKind::Withdraw,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ActionKind::SignFor => "签收",
            ActionKind::Report => "反馈",
            ActionKind::ApplyToClose => "申请办结",
            ActionKind::Return => "退回",
            ActionKind::Close => "办结",
            ActionKind::RequestExtension => "申请延期",
            ActionKind::GrantExtension => "批准延期",
            ActionKind::RefuseExtension => "不予延期",
            ActionKind::Withdraw => "撤销",
        }
    }

    pub fn actor(self) -> Actor {
        match self {
            ActionKind::SignFor
            | ActionKind::Report
            | ActionKind::ApplyToClose
            | ActionKind::RequestExtension => Actor::Unit,
            ActionKind::Return
            | ActionKind::Close
            | ActionKind::GrantExtension
            | ActionKind::RefuseExtension
            | ActionKind::Withdraw => Actor::Office,
        }
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::SignFor => ActionKind::SignFor,
            Action::Report { .. } => ActionKind::Report,
            Action::ApplyToClose { .. } => ActionKind::ApplyToClose,
            Action::Return { .. } => ActionKind::Return,
            Action::Close { .. } => ActionKind::Close,
            Action::RequestExtension { .. } => ActionKind::RequestExtension,
            Action::GrantExtension => ActionKind::GrantExtension,
            Action::RefuseExtension { .. } => ActionKind::RefuseExtension,
            Action::Withdraw => ActionKind::Withdraw,
        }
    }

    /// Whether the unit or the office takes this action.
    pub fn actor(&self) -> Actor {
        self.kind().actor()
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransitionErrorKind {
    /// The unit has not signed for the matter yet.
    NotSignedFor,
    /// The unit signed for it already.
    AlreadySignedFor,
    /// The office acts on a close application that was not made.
    CloseNotRequested,
    /// The close application is under review; the unit waits.
    UnderReview,
    /// The track is closed (销号).
    Closed,
    /// The track was withdrawn.
    Withdrawn,
    /// The office decides on an extension nobody asked for.
    NoPendingExtension,
    /// An extension request is already waiting.
    ExtensionPending,
    /// The extension date is not later than today or the last extension.
    BadExtensionDate,
    /// A text the action needs (report, result, reason, plan) is empty.
    MissingText,
    /// The action is dated before the track's last change.
    OutOfOrder,
}

/// An action the track's state does not allow, with a Chinese message that
/// says what was wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionError {
    pub kind: TransitionErrorKind,
    pub message: String,
}

impl TransitionError {
    fn new(kind: TransitionErrorKind, message: impl Into<String>) -> TransitionError {
        TransitionError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransitionError {}

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn require_text(text: &str, message: &str) -> Result<(), TransitionError> {
    if text.trim().is_empty() {
        Err(TransitionError::new(
            TransitionErrorKind::MissingText,
            message,
        ))
    } else {
        Ok(())
    }
}

/// The refusal every action gets on a closed or withdrawn track.
fn finished(track: &Track, what: &str) -> Option<TransitionError> {
    match track.state {
        TrackState::Closed { grade } => Some(TransitionError::new(
            TransitionErrorKind::Closed,
            format!(
                "该事项已办结销号（评定为{}），不能再{what}；如确需继续办理，请督查室重新交办",
                grade.label()
            ),
        )),
        TrackState::Withdrawn => Some(TransitionError::new(
            TransitionErrorKind::Withdrawn,
            format!("该单位的督办任务已撤销，不能再{what}；如确需办理，请督查室重新交办"),
        )),
        _ => None,
    }
}

fn under_review(track: &Track, what: &str) -> TransitionError {
    let when = track.close_requested_at.map(stamp).unwrap_or_default();
    TransitionError::new(
        TransitionErrorKind::UnderReview,
        format!("该单位已于{when}申请办结，督查室正在审核，暂不能{what}；如审核退回，可继续办理"),
    )
}

/// Checks whether `action` is allowed on `track` at `at`, and returns the
/// track after it. Pure: the input track is not changed.
pub fn apply(track: &Track, action: &Action, at: NaiveDateTime) -> Result<Track, TransitionError> {
    use TrackState as S;
    use TransitionErrorKind as K;

    let what = action.kind().label();
    if let Some(e) = finished(track, what) {
        return Err(e);
    }
    let not_signed = |todo: &str| {
        TransitionError::new(
            K::NotSignedFor,
            format!("该单位尚未签收，不能{what}；{todo}"),
        )
    };

    let mut next = track.clone();
    match action {
        Action::SignFor => match track.state {
            S::Assigned => {
                next.state = S::SignedFor;
                next.signed_at = Some(at);
            }
            _ => {
                let when = track.signed_at.map(stamp).unwrap_or_default();
                return Err(TransitionError::new(
                    K::AlreadySignedFor,
                    format!("该单位已于{when}签收，无需重复签收；请按时反馈办理进展"),
                ));
            }
        },
        Action::Report { text } => match track.state {
            S::Assigned => return Err(not_signed("请先签收，再反馈办理进展")),
            S::CloseRequested => return Err(under_review(track, what)),
            _ => {
                require_text(text, "反馈内容不能为空；请写明已采取的措施和取得的进展")?;
                next.report_times.push(at);
            }
        },
        Action::ApplyToClose { text } => {
            match track.state {
                S::Assigned => return Err(not_signed("请先签收，办理完成后再申请办结")),
                S::CloseRequested => {
                    let when = track.close_requested_at.map(stamp).unwrap_or_default();
                    return Err(TransitionError::new(
                    K::UnderReview,
                    format!("该单位已于{when}申请办结，督查室正在审核，无需重复申请；请等待审核结果"),
                ));
                }
                _ => {
                    require_text(text, "申请办结须写明办理结果；请填写办理情况后再申请")?;
                    next.state = S::CloseRequested;
                    next.close_requested_at = Some(at);
                    next.report_times.push(at);
                }
            }
        }
        Action::Return { reason } => match track.state {
            S::Assigned => return Err(not_signed("还没有可退回的办结申请，请先催促单位签收")),
            S::SignedFor | S::Returned => {
                return Err(TransitionError::new(
                    K::CloseNotRequested,
                    "该单位尚未申请办结，没有可退回的办结申请；如需督促，请催办",
                ))
            }
            _ => {
                require_text(reason, "退回须写明理由，便于单位整改；请填写退回理由")?;
                next.state = S::Returned;
                next.returned_at = Some(at);
                next.returns += 1;
            }
        },
        Action::Close { grade, reason } => match track.state {
            S::Assigned => return Err(not_signed("请先由单位签收并申请办结")),
            S::SignedFor | S::Returned => {
                return Err(TransitionError::new(
                    K::CloseNotRequested,
                    "该单位尚未申请办结，不能办结；请先由单位申请办结，再审核销号",
                ))
            }
            _ => {
                if *grade == Grade::Fail {
                    require_text(reason, "评定为不合格须写明理由；请填写审核意见")?;
                }
                next.state = S::Closed { grade: *grade };
                next.closed_at = Some(at);
                next.pending_extension = None;
            }
        },
        Action::RequestExtension { until, plan } => match track.state {
            S::Assigned => return Err(not_signed("请先签收，再申请延期")),
            S::CloseRequested => return Err(under_review(track, what)),
            _ => {
                if let Some(p) = &track.pending_extension {
                    return Err(TransitionError::new(
                        K::ExtensionPending,
                        format!(
                            "已有一项延期申请（延期至{}）待督查室审批，不能重复申请；请等待审批结果",
                            p.until
                        ),
                    ));
                }
                require_text(plan, "申请延期须附时间表和工作计划；请填写后再申请")?;
                if *until <= at.date() {
                    return Err(TransitionError::new(
                        K::BadExtensionDate,
                        format!(
                            "延期日期{until}不晚于申请当天（{}）；请填写今后的日期",
                            at.date()
                        ),
                    ));
                }
                if let Some(e) = track.extended_until {
                    if *until <= e {
                        return Err(TransitionError::new(
                            K::BadExtensionDate,
                            format!("已批准延期至{e}，新的延期日期{until}须晚于该日期；请重新填写"),
                        ));
                    }
                }
                next.pending_extension = Some(ExtensionRequest {
                    until: *until,
                    plan: plan.clone(),
                    requested_at: at,
                });
            }
        },
        Action::GrantExtension | Action::RefuseExtension { .. } => {
            let Some(request) = &track.pending_extension else {
                return Err(TransitionError::new(
                    K::NoPendingExtension,
                    "该单位没有待审批的延期申请，无需审批；延期须由单位先提出申请",
                ));
            };
            if let Action::RefuseExtension { reason } = action {
                require_text(reason, "不予延期须写明理由；请填写理由")?;
                next.extensions_refused += 1;
            } else {
                next.extended_until = Some(request.until);
                next.extension_plan = Some(request.plan.clone());
                next.extensions_granted += 1;
            }
            next.pending_extension = None;
        }
        Action::Withdraw => {
            next.state = S::Withdrawn;
            next.withdrawn_at = Some(at);
            next.pending_extension = None;
        }
    }

    if at < track.updated_at {
        return Err(TransitionError::new(
            K::OutOfOrder,
            format!(
                "办理时间{}早于该任务上一次办理的时间{}；请核对时间后重试",
                stamp(at),
                stamp(track.updated_at)
            ),
        ));
    }
    next.updated_at = at;
    Ok(next)
}

/// The actions the track's state allows (texts and dates aside), for the
/// screens to offer.
pub fn allowed(track: &Track) -> Vec<ActionKind> {
    use ActionKind as A;
    let mut out = Vec::new();
    match track.state {
        TrackState::Assigned => out.push(A::SignFor),
        TrackState::SignedFor | TrackState::Returned => {
            out.extend([A::Report, A::ApplyToClose]);
            if track.pending_extension.is_none() {
                out.push(A::RequestExtension);
            }
        }
        TrackState::CloseRequested => out.extend([A::Return, A::Close]),
        TrackState::Closed { .. } | TrackState::Withdrawn => return out,
    }
    if track.pending_extension.is_some() {
        out.extend([A::GrantExtension, A::RefuseExtension]);
    }
    out.push(A::Withdraw);
    out
}

/// A matter is closed when every lead unit's track is closed. Withdrawn
/// tracks do not count, co-operating units' tracks do not hold it open, and
/// a matter with no lead track left is not closed.
pub fn matter_closed(tracks: &[Track]) -> bool {
    let mut leads = tracks
        .iter()
        .filter(|t| t.role == Role::Lead && t.state != TrackState::Withdrawn)
        .peekable();
    leads.peek().is_some() && leads.all(|t| matches!(t.state, TrackState::Closed { .. }))
}

/// The matter's status from its tracks: closed as [`matter_closed`] says,
/// withdrawn when every track was withdrawn, open otherwise.
pub fn matter_status(tracks: &[Track]) -> MatterStatus {
    if matter_closed(tracks) {
        MatterStatus::Closed
    } else if !tracks.is_empty() && tracks.iter().all(|t| t.state == TrackState::Withdrawn) {
        MatterStatus::Withdrawn
    } else {
        MatterStatus::Open
    }
}
