//! What the office's actions on a matter answer besides the matter itself
//! (催办).

use super::UrgingView;
use serde::Serialize;
use utoipa::ToSchema;

/// `{"urgings": …}`: the 催办单 of a matter the caller may read, or those
/// an urging has just made (one per urged unit).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UrgingsView {
    pub urgings: Vec<UrgingView>,
}
