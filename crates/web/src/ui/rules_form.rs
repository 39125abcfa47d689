//! The year's assessment rules as a Chinese form: the full score, each
//! indicator's weight (and a summons' deduction), the bonuses, the value of
//! each review grade, how an indicator with nothing due scores, the grades
//! and their quotas, and the bulletin's commend and criticise thresholds.
//! The form shows the rules (read-only for the office) and reads back into
//! [`Rules`], starting from the rules it showed, so nothing the form does
//! not show is lost; the domain checks the result.

use super::form::Fields;
use crate::error::ApiError;
use duban_domain::assess::{IndicatorKind, Quota, Rules, WhenNothingDue};
use maud::{html, Markup};

fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn field(name: &str, label: &str, value: &str, editable: bool) -> Markup {
    html! {
        label {
            span { (label) }
            input name=(name) value=(value) inputmode="decimal" size="6" disabled[!editable];
        }
    }
}

/// The form's fields for `rules` (or, after a refusal, what was typed).
pub fn view(rules: &Rules, typed: Option<&Fields>, editable: bool) -> Markup {
    let v = |name: &str, shown: String| -> String {
        typed.map(|f| f.get(name).to_string()).unwrap_or(shown)
    };
    let nothing = v(
        "when_nothing_due",
        match rules.when_nothing_due {
            WhenNothingDue::Full => "full".into(),
            WhenNothingDue::Zero => "zero".into(),
        },
    );
    let gv = &rules.grade_values;
    html! {
        fieldset {
            legend { "指标与权重（权重之和应等于满分）" }
            div.stack {
                (field("total", "满分", &v("total", num(rules.total)), editable))
                @for (i, ind) in rules.indicators.iter().enumerate() {
                    (field(&format!("w{i}"), &format!("{}（权重）", ind.name()), &v(&format!("w{i}"), num(ind.weight)), editable))
                    @if ind.kind == IndicatorKind::Summons {
                        (field(&format!("e{i}"), "每次约谈扣分", &v(&format!("e{i}"), num(ind.per_event)), editable))
                    }
                }
            }
        }
        fieldset {
            legend { "加分" }
            div.stack {
                @for (i, b) in rules.bonuses.iter().enumerate() {
                    @let name = if b.label.is_empty() { "优秀办结加分" } else { b.label.as_str() };
                    (field(&format!("bp{i}"), &format!("{name}：每项加分"), &v(&format!("bp{i}"), num(b.per)), editable))
                    (field(&format!("bc{i}"), &format!("{name}：最多加分"), &v(&format!("bc{i}"), num(b.cap)), editable))
                }
            }
        }
        fieldset {
            legend { "办结质量：各评定等次折合权重的比例（0 到 1）" }
            div.stack {
                (field("gv_excellent", "优秀", &v("gv_excellent", num(gv.excellent)), editable))
                (field("gv_good", "良好", &v("gv_good", num(gv.good)), editable))
                (field("gv_pass", "合格", &v("gv_pass", num(gv.pass)), editable))
                (field("gv_fail", "不合格", &v("gv_fail", num(gv.fail)), editable))
                label {
                    span { "某项指标无应办事项时" }
                    select name="when_nothing_due" disabled[!editable] {
                        option value="full" selected[nothing == "full"] { "该项得满分" }
                        option value="zero" selected[nothing == "zero"] { "该项不得分" }
                    }
                }
            }
            p.muted { "全年无任何应办事项的单位不参加排名和评定等次（无考核事项）。" }
        }
        fieldset {
            legend { "考核等次（由高到低；名额为占参评单位的百分比上限，最后一个等次不设名额；名称留空即删除该等次）" }
            @for i in 0..=rules.grades.len() {
                @let q = rules.grades.get(i);
                div.stack {
                    (field(&format!("gn{i}"), "等次名称", &v(&format!("gn{i}"), q.map(|q| q.name.clone()).unwrap_or_default()), editable))
                    (field(&format!("gp{i}"), "名额（%）", &v(&format!("gp{i}"), q.and_then(|q| q.percent).map(|p| p.to_string()).unwrap_or_default()), editable))
                    (field(&format!("gm{i}"), "最低得分", &v(&format!("gm{i}"), q.and_then(|q| q.min_score).map(num).unwrap_or_default()), editable))
                }
            }
        }
        fieldset {
            legend { "通报表扬与批评" }
            div.stack {
                (field("commend_min_tracks", "表扬：交办任务不少于（项）", &v("commend_min_tracks", rules.bulletin.commend_min_tracks.to_string()), editable))
                (field("criticise_overdue_days", "批评：有任务逾期超过（天）", &v("criticise_overdue_days", rules.bulletin.criticise_overdue_days.to_string()), editable))
                (field("criticise_close_rate_below", "批评：按期办结率低于（%）", &v("criticise_close_rate_below", rules.bulletin.criticise_close_rate_below.to_string()), editable))
            }
        }
    }
}

/// `rules` with the form's values; every value that is not a number is
/// reported at once, by its label.
pub fn read(f: &Fields, rules: &Rules) -> Result<Rules, ApiError> {
    let mut out = rules.clone();
    let mut problems: Vec<String> = Vec::new();
    let mut number = |name: &str, label: &str| -> Option<f64> {
        let raw = f.get(name).trim();
        match raw.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                problems.push(format!("“{label}”应填数字，收到“{raw}”"));
                None
            }
        }
    };
    if let Some(x) = number("total", "满分") {
        out.total = x;
    }
    for (i, ind) in out.indicators.iter_mut().enumerate() {
        let name = ind.name().to_string();
        if let Some(x) = number(&format!("w{i}"), &format!("{name}的权重")) {
            ind.weight = x;
        }
        if ind.kind == IndicatorKind::Summons {
            if let Some(x) = number(&format!("e{i}"), "每次约谈扣分") {
                ind.per_event = x;
            }
        }
    }
    for (i, b) in out.bonuses.iter_mut().enumerate() {
        if let Some(x) = number(&format!("bp{i}"), "每项加分") {
            b.per = x;
        }
        if let Some(x) = number(&format!("bc{i}"), "最多加分") {
            b.cap = x;
        }
    }
    let gv = &mut out.grade_values;
    for (name, label, slot) in [
        ("gv_excellent", "优秀的比例", &mut gv.excellent),
        ("gv_good", "良好的比例", &mut gv.good),
        ("gv_pass", "合格的比例", &mut gv.pass),
        ("gv_fail", "不合格的比例", &mut gv.fail),
    ] {
        if let Some(x) = number(name, label) {
            *slot = x;
        }
    }
    out.when_nothing_due = match f.get("when_nothing_due") {
        "zero" => WhenNothingDue::Zero,
        _ => WhenNothingDue::Full,
    };
    let mut grades = Vec::new();
    for i in 0..=rules.grades.len() {
        let name = f.get(&format!("gn{i}")).trim().to_string();
        if name.is_empty() {
            continue;
        }
        let opt = |key: String, label: String, problems: &mut Vec<String>| -> Option<f64> {
            let raw = f.get(&key).trim();
            if raw.is_empty() {
                return None;
            }
            raw.parse::<f64>().ok().or_else(|| {
                problems.push(format!("“{label}”应填数字或留空，收到“{raw}”"));
                None
            })
        };
        let percent = opt(format!("gp{i}"), format!("{name}的名额"), &mut problems);
        let min_score = opt(format!("gm{i}"), format!("{name}的最低得分"), &mut problems);
        grades.push(Quota {
            name,
            percent: percent.map(|p| p.round().max(0.0) as u32),
            min_score,
        });
    }
    out.grades = grades;
    let b = &mut out.bulletin;
    let whole = |name: &str, label: &str, problems: &mut Vec<String>| -> Option<i64> {
        let raw = f.get(name).trim();
        raw.parse::<i64>().ok().or_else(|| {
            problems.push(format!("“{label}”应填整数，收到“{raw}”"));
            None
        })
    };
    if let Some(x) = whole("commend_min_tracks", "表扬的最少交办任务数", &mut problems) {
        b.commend_min_tracks = x;
    }
    if let Some(x) = whole("criticise_overdue_days", "批评的逾期天数", &mut problems) {
        b.criticise_overdue_days = x.max(0) as u32;
    }
    if let Some(x) = whole(
        "criticise_close_rate_below",
        "批评的按期办结率界线",
        &mut problems,
    ) {
        b.criticise_close_rate_below = x.max(0) as u32;
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Unprocessable(problems.join("；")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The form's fields as a browser would send them for `rules`.
    fn fields_of(rules: &Rules) -> Vec<(String, String)> {
        let page = view(rules, None, true).into_string();
        let mut out = Vec::new();
        for part in page.split("<input ").skip(1) {
            let attr = |a: &str| {
                part.split(&format!("{a}=\""))
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .map(String::from)
            };
            if let (Some(n), Some(v)) = (attr("name"), attr("value")) {
                out.push((n, v));
            }
        }
        out.push(("when_nothing_due".into(), "full".into()));
        out
    }

    fn form(pairs: &[(String, String)]) -> Fields {
        let body: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", k, urlencode(v)))
            .collect();
        Fields::parse(body.join("&").as_bytes())
    }

    fn urlencode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    #[test]
    fn the_form_reads_back_what_it_shows_and_says_what_is_wrong() {
        let rules = Rules::default();
        let mut pairs = fields_of(&rules);
        assert_eq!(read(&form(&pairs), &rules).unwrap(), rules);

        // A 4th grade added, a threshold changed.
        for (k, v) in pairs.iter_mut() {
            match k.as_str() {
                "gn3" => *v = "较差".into(),
                "gp2" => *v = "10".into(),
                "criticise_overdue_days" => *v = "15".into(),
                _ => {}
            }
        }
        let r = read(&form(&pairs), &rules).unwrap();
        assert_eq!(r.grades.len(), 4);
        assert_eq!(r.grades[2].percent, Some(10));
        assert_eq!(r.bulletin.criticise_overdue_days, 15);

        for (k, v) in pairs.iter_mut() {
            if k == "w0" {
                *v = "十五".into();
            }
        }
        let Err(ApiError::Unprocessable(m)) = read(&form(&pairs), &rules) else {
            panic!("a weight in words was taken");
        };
        assert!(m.contains("“签收及时率的权重”应填数字，收到“十五”"), "{m}");
    }
}
