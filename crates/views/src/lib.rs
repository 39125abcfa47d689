//! Typed views: what the application's central reads return. Each view is
//! a plain struct that derives `Serialize` (the JSON the API sends) and
//! `utoipa::ToSchema` (its schema in the OpenAPI document), built by the
//! use-case function of its read (`matters::board_data`,
//! `matters::detail_data`, `tracks::list_data`), serialised by the API and
//! rendered field by field by the pages.
//!
//! The rule: **a renamed field is a compile error in the page.** A page
//! reads `row.completion.text`, not `row["completion"]["text"]`; renaming
//! `completion` here breaks the build of `ui::board` instead of blanking a
//! column. A value that is really free-form (a matter's source, its
//! targets, an event's before and after) stays `serde_json::Value` and says
//! so in its schema.
//!
//! This crate is where the use-case layer's types live: the views the
//! reads return and the queries they take ([`params`], and the query
//! structs such as [`BoardParams`]). It knows neither HTTP nor HTML and
//! does no I/O; `duban-web` builds the views in its use-case functions,
//! serialises them in the API and renders them in the pages.

mod admin;
mod appeals;
mod audit;
mod board;
mod calendar;
mod documents;
mod imports;
mod indicators;
mod leaders;
mod links;
mod matter;
mod messages;
mod office;
pub mod params;
mod query;
mod reports;
mod search;
mod security;
mod session;
mod stats;
mod tokens;
mod track;
mod types;
mod units;

pub use admin::{
    DivisionCandidateView, DivisionLeaderView, DivisionSetView, DivisionUnitView,
    DivisionUnmatchedView, DivisionUserView, DivisionView, UnmatchedLeaderView, UnmatchedUnitView,
    UserRowView, UserView, UserWrapper, UsersView,
};
pub use appeals::{AcceptedAppealView, AppealListView, AppealMatter, AppealView, AppealWrapper};
pub use audit::{AuditEntryView, AuditView, ContentLine, ObjectRef};
pub use board::BoardView;
pub use calendar::{
    CalendarDays, CalendarDifferences, CalendarListView, CalendarNoticeSpan, CalendarNoticeView,
    CalendarNoticeYear, CalendarRemoveView, CalendarSetView, CalendarYearSummary, CalendarYearView,
    RecomputedView,
};
pub use documents::{
    CitationView, ConfirmAllView, ConfirmedMatter, ConfirmedView, DeadlineView, DocRefView,
    DocumentLinksView, DocumentSummary, DocumentView, IngestedView, LeftProposal, ProposalView,
    ProposalWrapper, SourceDetailView, SourceLine, SourceUploadView, SourceView, SourceWarning,
    SourcesView, TargetView, TaskView, UnitNameView,
};
pub use imports::{
    ImportRefusedView, ImportReportView, ImportRowView, ImportUnitView, ImportedView,
};
pub use indicators::{
    IndicatorDetailView, IndicatorItem, IndicatorListView, IndicatorRecordView, IndicatorValueRow,
    IndicatorValueView, PacePoint, PeriodValue, ProgressView,
};
pub use leaders::{InstructionWrapper, PrincipalView};
pub use links::{LinkListView, LinkView, SimilarListView, SimilarView};
pub use matter::{
    AnswerView, Completion, CompletionFrom, CreatedMatterView, EventView, InstructionView,
    MatterFields, MatterSummary, MatterView, MatterWrapper, UrgingView,
};
pub use messages::{MessageView, MessagesView, UnreadView};
pub use office::UrgingsView;
pub use query::{
    assessment_year, BoardSorts, Lights, MatterKinds, MatterStatuses, SourceKinds, TrackStates,
};
pub use query::{
    AppealListQuery, AssessmentParams, BoardParams, BulletinParams, ImportParams, IndicatorParams,
    LedgerParams, RecordParams, RedBlackParams, SearchQuery, SimilarParams, SourceKind, StateCode,
    StatsParams, MAX_SEARCH_OFFSET,
};
pub use reports::{
    AssessedView, AssessmentRulesView, AssessmentView, BulletinOverdueRow, BulletinRate,
    BulletinRowView, BulletinRulesView, BulletinView, InspectionListView, InspectionView,
    InspectionWrapper, LineRef, LineRefKind, NamedUnit, PeriodView, RedBlackView, RulesBonus,
    RulesGradeValues, RulesIndicator, RulesQuota, RulesView, ScoreLine, SummonsListView,
    SummonsView, SummonsWrapper, UnassessedView,
};
pub use search::{HitView, SearchView, SnippetPiece};
pub use security::{
    AccountRulesView, OkView, PasswordResetView, SecuritySettingsView, TotpEnabledView,
    TotpSecretView, TotpStatusView,
};
pub use session::{MeView, SessionView, TotpRequiredView};
pub use stats::{
    LightCounts, MatterCounts, MatterTotals, OverdueView, RatioView, StateCounts, StatsFilter,
    StatsView, TrackTotals, TrendView, UnitRef, UnitStatsView,
};
pub use tokens::{ApiTokenView, ApiTokenWrapper, ApiTokensView, IssuedTokenView};
pub use track::{
    ActedMatter, ActedView, DueView, FileView, HandlerView, LimitsView, NextLimit, NodeView,
    PassedView, ProvisionalMarks, ReportView, TrackDue, TrackFull, TrackListQuery, TrackListView,
    TrackView,
};
pub use types::{MatterTypeListView, MatterTypeView, MatterTypeWrapper, TypeSchedule, TypeTerm};
pub use units::{
    GroupView, MovedCounts, UnitCandidate, UnitListView, UnitMergeView, UnitResolveView, UnitView,
    UnitWrapper,
};

use serde::Serialize;
use utoipa::{PartialSchema, ToSchema};

/// A light (灯色) as code: a track's on today, a matter's the worst of
/// its tracks in view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LightCode {
    Green,
    Yellow,
    Red,
    Done,
    /// The calendar cannot give a limit (无法计算).
    Unknown,
}

impl LightCode {
    pub fn of(light: duban_domain::limits::Light) -> LightCode {
        use duban_domain::limits::Light;
        match light {
            Light::Green => LightCode::Green,
            Light::Yellow => LightCode::Yellow,
            Light::Red => LightCode::Red,
            Light::Done => LightCode::Done,
        }
    }

    /// The code as the API and the pages' CSS classes write it.
    pub fn code(self) -> &'static str {
        match self {
            LightCode::Green => "green",
            LightCode::Yellow => "yellow",
            LightCode::Red => "red",
            LightCode::Done => "done",
            LightCode::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        use duban_domain::limits::Light;
        match self {
            LightCode::Green => Light::Green.label(),
            LightCode::Yellow => Light::Yellow.label(),
            LightCode::Red => Light::Red.label(),
            LightCode::Done => Light::Done.label(),
            LightCode::Unknown => "无法计算",
        }
    }

    /// How bad a light is, for a matter's light (the worst of its tracks').
    pub fn severity(self) -> u8 {
        match self {
            LightCode::Red => 4,
            LightCode::Unknown => 3,
            LightCode::Yellow => 2,
            LightCode::Green => 1,
            LightCode::Done => 0,
        }
    }
}

/// The schemas of the typed views, for the OpenAPI document's
/// `components.schemas`: (name, schema) of every view and what it
/// contains.
pub fn schemas() -> Vec<(
    String,
    utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
)> {
    let mut out = Vec::new();
    <BoardView as ToSchema>::schemas(&mut out);
    out.push((BoardView::name().into_owned(), BoardView::schema()));
    <MatterWrapper as ToSchema>::schemas(&mut out);
    out.push((MatterWrapper::name().into_owned(), MatterWrapper::schema()));
    <TrackListView as ToSchema>::schemas(&mut out);
    out.push((TrackListView::name().into_owned(), TrackListView::schema()));
    <StatsView as ToSchema>::schemas(&mut out);
    out.push((StatsView::name().into_owned(), StatsView::schema()));
    <MessagesView as ToSchema>::schemas(&mut out);
    out.push((MessagesView::name().into_owned(), MessagesView::schema()));
    <SourcesView as ToSchema>::schemas(&mut out);
    out.push((SourcesView::name().into_owned(), SourcesView::schema()));
    <SourceDetailView as ToSchema>::schemas(&mut out);
    out.push((
        SourceDetailView::name().into_owned(),
        SourceDetailView::schema(),
    ));
    <DocumentView as ToSchema>::schemas(&mut out);
    out.push((DocumentView::name().into_owned(), DocumentView::schema()));
    <AppealListView as ToSchema>::schemas(&mut out);
    out.push((
        AppealListView::name().into_owned(),
        AppealListView::schema(),
    ));
    <AppealWrapper as ToSchema>::schemas(&mut out);
    out.push((AppealWrapper::name().into_owned(), AppealWrapper::schema()));
    <AuditView as ToSchema>::schemas(&mut out);
    out.push((AuditView::name().into_owned(), AuditView::schema()));
    <UrgingsView as ToSchema>::schemas(&mut out);
    out.push((UrgingsView::name().into_owned(), UrgingsView::schema()));
    <SourceUploadView as ToSchema>::schemas(&mut out);
    out.push((
        SourceUploadView::name().into_owned(),
        SourceUploadView::schema(),
    ));
    <ConfirmedView as ToSchema>::schemas(&mut out);
    out.push((ConfirmedView::name().into_owned(), ConfirmedView::schema()));
    <ProposalWrapper as ToSchema>::schemas(&mut out);
    out.push((
        ProposalWrapper::name().into_owned(),
        ProposalWrapper::schema(),
    ));
    <ConfirmAllView as ToSchema>::schemas(&mut out);
    out.push((
        ConfirmAllView::name().into_owned(),
        ConfirmAllView::schema(),
    ));
    <ApiTokensView as ToSchema>::schemas(&mut out);
    out.push((ApiTokensView::name().into_owned(), ApiTokensView::schema()));
    <IssuedTokenView as ToSchema>::schemas(&mut out);
    out.push((
        IssuedTokenView::name().into_owned(),
        IssuedTokenView::schema(),
    ));
    <ApiTokenWrapper as ToSchema>::schemas(&mut out);
    out.push((
        ApiTokenWrapper::name().into_owned(),
        ApiTokenWrapper::schema(),
    ));
    <UsersView as ToSchema>::schemas(&mut out);
    out.push((UsersView::name().into_owned(), UsersView::schema()));
    <UserWrapper as ToSchema>::schemas(&mut out);
    out.push((UserWrapper::name().into_owned(), UserWrapper::schema()));
    <DivisionView as ToSchema>::schemas(&mut out);
    out.push((DivisionView::name().into_owned(), DivisionView::schema()));
    <SecuritySettingsView as ToSchema>::schemas(&mut out);
    out.push((
        SecuritySettingsView::name().into_owned(),
        SecuritySettingsView::schema(),
    ));
    <OkView as ToSchema>::schemas(&mut out);
    out.push((OkView::name().into_owned(), OkView::schema()));
    <TotpStatusView as ToSchema>::schemas(&mut out);
    out.push((
        TotpStatusView::name().into_owned(),
        TotpStatusView::schema(),
    ));
    <TotpSecretView as ToSchema>::schemas(&mut out);
    out.push((
        TotpSecretView::name().into_owned(),
        TotpSecretView::schema(),
    ));
    <TotpEnabledView as ToSchema>::schemas(&mut out);
    out.push((
        TotpEnabledView::name().into_owned(),
        TotpEnabledView::schema(),
    ));
    <PasswordResetView as ToSchema>::schemas(&mut out);
    out.push((
        PasswordResetView::name().into_owned(),
        PasswordResetView::schema(),
    ));
    <PassedView as ToSchema>::schemas(&mut out);
    out.push((PassedView::name().into_owned(), PassedView::schema()));
    <CreatedMatterView as ToSchema>::schemas(&mut out);
    out.push((
        CreatedMatterView::name().into_owned(),
        CreatedMatterView::schema(),
    ));
    <ActedView as ToSchema>::schemas(&mut out);
    out.push((ActedView::name().into_owned(), ActedView::schema()));
    <UnreadView as ToSchema>::schemas(&mut out);
    out.push((UnreadView::name().into_owned(), UnreadView::schema()));
    <AcceptedAppealView as ToSchema>::schemas(&mut out);
    out.push((
        AcceptedAppealView::name().into_owned(),
        AcceptedAppealView::schema(),
    ));
    <IndicatorListView as ToSchema>::schemas(&mut out);
    out.push((
        IndicatorListView::name().into_owned(),
        IndicatorListView::schema(),
    ));
    <IndicatorDetailView as ToSchema>::schemas(&mut out);
    out.push((
        IndicatorDetailView::name().into_owned(),
        IndicatorDetailView::schema(),
    ));
    <IndicatorRecordView as ToSchema>::schemas(&mut out);
    out.push((
        IndicatorRecordView::name().into_owned(),
        IndicatorRecordView::schema(),
    ));
    <UnitListView as ToSchema>::schemas(&mut out);
    out.push((UnitListView::name().into_owned(), UnitListView::schema()));
    <UnitWrapper as ToSchema>::schemas(&mut out);
    out.push((UnitWrapper::name().into_owned(), UnitWrapper::schema()));
    <UnitMergeView as ToSchema>::schemas(&mut out);
    out.push((UnitMergeView::name().into_owned(), UnitMergeView::schema()));
    <UnitResolveView as ToSchema>::schemas(&mut out);
    out.push((
        UnitResolveView::name().into_owned(),
        UnitResolveView::schema(),
    ));
    <CalendarListView as ToSchema>::schemas(&mut out);
    out.push((
        CalendarListView::name().into_owned(),
        CalendarListView::schema(),
    ));
    <CalendarYearView as ToSchema>::schemas(&mut out);
    out.push((
        CalendarYearView::name().into_owned(),
        CalendarYearView::schema(),
    ));
    <CalendarSetView as ToSchema>::schemas(&mut out);
    out.push((
        CalendarSetView::name().into_owned(),
        CalendarSetView::schema(),
    ));
    <CalendarRemoveView as ToSchema>::schemas(&mut out);
    out.push((
        CalendarRemoveView::name().into_owned(),
        CalendarRemoveView::schema(),
    ));
    <CalendarNoticeView as ToSchema>::schemas(&mut out);
    out.push((
        CalendarNoticeView::name().into_owned(),
        CalendarNoticeView::schema(),
    ));
    <SimilarListView as ToSchema>::schemas(&mut out);
    out.push((
        SimilarListView::name().into_owned(),
        SimilarListView::schema(),
    ));
    <LinkListView as ToSchema>::schemas(&mut out);
    out.push((LinkListView::name().into_owned(), LinkListView::schema()));
    <InstructionWrapper as ToSchema>::schemas(&mut out);
    out.push((
        InstructionWrapper::name().into_owned(),
        InstructionWrapper::schema(),
    ));
    <PrincipalView as ToSchema>::schemas(&mut out);
    out.push((PrincipalView::name().into_owned(), PrincipalView::schema()));
    <MatterTypeListView as ToSchema>::schemas(&mut out);
    out.push((
        MatterTypeListView::name().into_owned(),
        MatterTypeListView::schema(),
    ));
    <MatterTypeWrapper as ToSchema>::schemas(&mut out);
    out.push((
        MatterTypeWrapper::name().into_owned(),
        MatterTypeWrapper::schema(),
    ));
    <BulletinView as ToSchema>::schemas(&mut out);
    out.push((BulletinView::name().into_owned(), BulletinView::schema()));
    <RedBlackView as ToSchema>::schemas(&mut out);
    out.push((RedBlackView::name().into_owned(), RedBlackView::schema()));
    <AssessmentView as ToSchema>::schemas(&mut out);
    out.push((
        AssessmentView::name().into_owned(),
        AssessmentView::schema(),
    ));
    <RulesView as ToSchema>::schemas(&mut out);
    out.push((RulesView::name().into_owned(), RulesView::schema()));
    <InspectionListView as ToSchema>::schemas(&mut out);
    out.push((
        InspectionListView::name().into_owned(),
        InspectionListView::schema(),
    ));
    <InspectionWrapper as ToSchema>::schemas(&mut out);
    out.push((
        InspectionWrapper::name().into_owned(),
        InspectionWrapper::schema(),
    ));
    <SummonsListView as ToSchema>::schemas(&mut out);
    out.push((
        SummonsListView::name().into_owned(),
        SummonsListView::schema(),
    ));
    <SummonsWrapper as ToSchema>::schemas(&mut out);
    out.push((
        SummonsWrapper::name().into_owned(),
        SummonsWrapper::schema(),
    ));
    <SessionView as ToSchema>::schemas(&mut out);
    out.push((SessionView::name().into_owned(), SessionView::schema()));
    <TotpRequiredView as ToSchema>::schemas(&mut out);
    out.push((
        TotpRequiredView::name().into_owned(),
        TotpRequiredView::schema(),
    ));
    <MeView as ToSchema>::schemas(&mut out);
    out.push((MeView::name().into_owned(), MeView::schema()));
    <ImportedView as ToSchema>::schemas(&mut out);
    out.push((ImportedView::name().into_owned(), ImportedView::schema()));
    <SearchView as ToSchema>::schemas(&mut out);
    out.push((SearchView::name().into_owned(), SearchView::schema()));
    <ImportRefusedView as ToSchema>::schemas(&mut out);
    out.push((
        ImportRefusedView::name().into_owned(),
        ImportRefusedView::schema(),
    ));
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    /// Two types of one name would make one schema stand for the other in
    /// the document (the API's answers then fail their validation far from
    /// the cause).
    #[test]
    fn no_two_views_share_a_schema_name() {
        let mut seen: HashMap<String, String> = HashMap::new();
        for (name, schema) in super::schemas() {
            let text = serde_json::to_string(&schema).unwrap();
            if let Some(before) = seen.insert(name.clone(), text.clone()) {
                assert_eq!(before, text, "two schemas named {name}");
            }
        }
    }
}
