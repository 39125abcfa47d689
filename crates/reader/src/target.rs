//! Quantitative targets: `全市公共充电桩数量达到13502台以上`,
//! `PM2.5平均浓度控制在63.7微克/立方米以内`, `城市绿地率≥40%`.

use crate::model::Target;
use chrono::NaiveDate;

/// The targets an item's text states. `by` is the date they are due when the
/// text itself names none (usually the item's deadline or the year's end).
pub fn find_targets(_text: &str, _by: Option<NaiveDate>) -> Vec<Target> {
    Vec::new()
}
