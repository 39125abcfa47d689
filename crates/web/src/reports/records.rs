//! Inspection (督查记录) and summons (约谈) records: listed within the
//! caller's view, entered by the office only. The routes are in the parent
//! module.

use super::view_of;
use crate::auth::Current;
use crate::error::{ApiError, ApiResult};
use crate::matters::is_office;
use crate::views::{
    InspectionListView, InspectionWrapper, RecordParams, SummonsListView, SummonsWrapper,
};
use crate::AppState;
use chrono::NaiveDate;
use duban_store::assess::{InspectionKind, NewInspection, NewSummons, RecordQuery};
use serde::Deserialize;

/// An inspection to record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewInspectionBody {
    pub unit_id: i64,
    #[serde(default)]
    pub matter_id: Option<i64>,
    /// `onsite` / `phone` / `unannounced`, or 现场督查 / 电话督查 / 明查暗访.
    pub kind: String,
    pub date: NaiveDate,
    pub finding: String,
    #[serde(default)]
    pub points: f64,
    #[serde(default)]
    pub major: bool,
}

/// A summons to record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewSummonsBody {
    pub unit_id: i64,
    pub date: NaiveDate,
    pub reason: String,
}

/// The store's query of a list: `from`, `to`, `unit`, `leader`, in the
/// caller's view (a unit's users: their own unit).
async fn query(state: &AppState, me: &Current, params: &RecordParams) -> ApiResult<RecordQuery> {
    let RecordParams {
        from,
        to,
        unit,
        leader,
    } = params.clone();
    let view = view_of(state, me, leader, true).await?;
    let units = match (view.units, unit) {
        (Some(v), Some(u)) => Some(u.into_iter().filter(|x| v.contains(x)).collect()),
        (Some(v), None) => Some(v),
        (None, u) => u,
    };
    Ok(RecordQuery { units, from, to })
}

fn office_only(me: &Current, what: &str) -> ApiResult<()> {
    if is_office(&me.user) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!("{what}由督查室录入")))
    }
}

/// Inspections in view, newest first.
pub(crate) async fn inspections_data(
    state: &AppState,
    me: &Current,
    params: &RecordParams,
) -> ApiResult<InspectionListView> {
    let q = query(state, me, params).await?;
    let list = state.store.inspections(&q).await?;
    Ok(InspectionListView {
        total: list.len(),
        inspections: list.into_iter().map(Into::into).collect(),
    })
}

/// Records an inspection (the office).
pub(crate) async fn create_inspection_data(
    state: &AppState,
    me: &Current,
    b: NewInspectionBody,
) -> ApiResult<InspectionWrapper> {
    office_only(me, "督查记录")?;
    let kind = InspectionKind::parse(&b.kind).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "督查方式“{}”无法识别：请写 现场督查、电话督查 或 明查暗访",
            b.kind
        ))
    })?;
    if b.date > state.now().date() {
        return Err(ApiError::Unprocessable(format!(
            "督查日期 {} 晚于今天；请填写实际督查的日期",
            b.date
        )));
    }
    let i = state
        .store
        .create_inspection(
            Some(me.user.id),
            NewInspection {
                unit_id: b.unit_id,
                matter_id: b.matter_id,
                kind,
                date: b.date,
                finding: b.finding,
                points: b.points,
                major: b.major,
            },
        )
        .await?;
    Ok(InspectionWrapper {
        inspection: i.into(),
    })
}

/// Summons in view, newest first.
pub(crate) async fn summons_data(
    state: &AppState,
    me: &Current,
    params: &RecordParams,
) -> ApiResult<SummonsListView> {
    let q = query(state, me, params).await?;
    let list = state.store.summonses(&q).await?;
    Ok(SummonsListView {
        total: list.len(),
        summons: list.into_iter().map(Into::into).collect(),
    })
}

/// Records a summons (the office).
pub(crate) async fn create_summons_data(
    state: &AppState,
    me: &Current,
    b: NewSummonsBody,
) -> ApiResult<SummonsWrapper> {
    office_only(me, "约谈记录")?;
    if b.date > state.now().date() {
        return Err(ApiError::Unprocessable(format!(
            "约谈日期 {} 晚于今天；请填写实际约谈的日期",
            b.date
        )));
    }
    let s = state
        .store
        .create_summons(
            Some(me.user.id),
            NewSummons {
                unit_id: b.unit_id,
                date: b.date,
                reason: b.reason,
            },
        )
        .await?;
    Ok(SummonsWrapper { summons: s.into() })
}
