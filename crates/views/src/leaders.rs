//! What leaders' writes answer: a 批示 recorded, a leader made principal.

use super::InstructionView;
use serde::Serialize;
use utoipa::ToSchema;

/// `{"instruction": …}`: the 批示 just written.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstructionWrapper {
    pub instruction: InstructionView,
}

/// A leader marked principal (主要领导, sees the whole district) or not.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrincipalView {
    pub user_id: i64,
    pub principal: bool,
}
