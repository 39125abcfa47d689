//! Quantitative targets: `全市公共充电桩数量达到13502台以上`,
//! `PM2.5平均浓度控制在63.7微克/立方米以内`, `城市绿地率≥40%`.
//!
//! The item is cut into clauses at `，。；：` and each clause is scanned for
//! numbers once, over a `Vec<char>`. A number is a target value when a
//! comparator (`≥`, `不低于`, `达到`, `以上`, …) or a work verb (`增长`,
//! `新建`, `完成`, …) marks it; the metric is the clause text before it, with
//! list numbers, leading time phrases (`到2025年`) and modal words (`力争`)
//! dropped. Numbers that only qualify a noun (`5亿元以上大项目`), baselines
//! (`由52%提升到`), years, dates, ranges, ordinals and document numbers are
//! skipped.

use crate::deadline::date_phrase_end;
use crate::model::Target;
use chrono::NaiveDate;

/// The targets an item's text states. `by` is the date they are due when the
/// text itself names none (usually the item's deadline or the year's end).
pub fn find_targets(text: &str, by: Option<NaiveDate>) -> Vec<Target> {
    let mut out = Vec::new();
    if !text.chars().any(is_digit) {
        return out;
    }
    let s: Vec<char> = text.chars().collect();
    let mut prev_clause: Option<(usize, usize)> = None;
    let mut subject = None;
    let mut a = 0;
    while a < s.len() {
        let b = clause_end(&s, a);
        let before = out.len();
        Clause {
            s: &s,
            a,
            b,
            prev: prev_clause,
            by,
        }
        .scan(&mut out, &mut subject);
        if out.len() == before {
            // A subject carries over to the next clause only.
            subject = None;
            prev_clause = Some((a, b));
        } else {
            prev_clause = None;
        }
        a = b + 1;
    }
    out
}

/// Comparators that precede the value and are not part of the metric, by
/// the comparison they give. The longest match wins (`不低于` over `低于`).
#[rustfmt::skip]
const COMPARATORS: &[(&str, &[&str])] = &[
    (">=", &["不得低于", "不得少于", "不应低于", "不宜低于", "不低于", "不少于", "不小于", "至少"]),
    ("<=", &["不得超过", "不得高于", "不应超过", "不宜超过", "不超过", "不高于", "不大于", "不多于",
             "控制在", "压缩在"]),
    (">", &["超过", "高于", "大于", "多于", "突破", "超"]),
    ("<", &["低于", "小于", "少于"]),
    ("=", &["力争达到", "达到", "达", "保持在", "稳定在", "维持在", "保持", "提高到", "提高至",
            "提升到", "提升至", "增加到", "增加至", "增长到", "增至", "下降到", "下降至", "降低到",
            "降低至", "降至", "降到", "减少到", "减少至", "压缩至", "压缩到", "缩短至", "缩短到",
            "发展到", "扩大到", "扩大至", "优化至", "精简至", "增加为", "提高为", "调整为", "占到",
            "为"]),
];

/// Verbs that stay in the metric: a change (`增长`, `下降`) or a piece of
/// work (`新建`, `完成`). The value that follows one is a target.
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "增长", "下降", "提高", "提升", "降低", "减少", "增加", "压缩", "缩短", "增速", "增幅", "降幅",
    "净增", "新建", "新增", "新培育", "新开工", "建成", "建设", "完成", "实现", "培育", "打造",
    "创建", "争创", "改造", "改建", "扩建", "开工", "招引", "引进", "签约", "投放", "培训", "实施",
    "种植", "造林", "植树", "安置", "转移", "绿化", "建立", "发放", "举办", "演出", "配置", "筹集",
    "带动", "吸引", "解决", "就业", "累计", "覆盖", "抓好",
];

/// Verbs after which the value may measure a following noun:
/// `新建6万吨粮食储备库`.
#[rustfmt::skip]
const BUILD_VERBS: &[&str] = &[
    "新建", "新增", "建成", "建设", "打造", "培育", "新培育", "创建", "争创", "改造", "扩建", "实施",
    "完成", "新开工", "开工", "引进", "招引",
];

/// Units, longest first where one is a prefix of another.
#[rustfmt::skip]
const UNITS: &[&str] = &[
    "个百分点", "个工作日", "吨标准煤", "平方公里", "平方千米", "平方米", "立方米", "千瓦时",
    "百分点", "工作日", "个月", "小时", "分钟", "公里", "千米", "公顷", "公斤", "千克", "千瓦",
    "兆瓦", "微克", "毫克", "毫米", "厘米", "床位", "课时", "人次", "人口", "美元",
    "%", "％", "‰", "元", "吨", "斤", "克", "亩", "米", "台", "辆", "座", "个", "家", "户", "人",
    "项", "所", "条", "处", "场", "次", "天", "年", "倍", "度", "张", "套", "间", "株", "棵", "只",
    "头", "件", "篇", "批", "支", "名", "位", "栋", "片", "块", "部", "宗", "根", "盏", "岁",
    "kW", "KW", "kw", "MW", "GW", "km", "KM", "kg", "m",
];

/// Counting words: a value with one of them may count the noun after it
/// (`打造5个省级专业镇`).
const CLASSIFIERS: &str = "个家座所条处项台辆张套间名位户只头件批支栋块部宗根盏场";

const MULTIPLIERS: &[&str] = &[
    "万亿", "千亿", "百亿", "千万", "百万", "亿", "万", "千", "百",
];

/// Suffixes after value and unit, with the comparator they give; longest
/// first.
#[rustfmt::skip]
const SUFFIXES: &[(&str, &str)] = &[
    ("及以上", ">="), ("以上", ">="),
    ("及以下", "<="), ("以下", "<="), ("以内", "<="), ("之内", "<="), ("内", "<="),
    // `增长8%左右` is `=`, but `控制在3%左右` keeps the `<=` of its verb.
    ("左右", ""),
];

/// Words after a number that make it a label, not a quantity.
const LABELS: &[&str] = &[
    "号", "页", "版", "期", "届", "级", "类", "章", "节", "款", "月", "日",
];

/// Words before a number that make it a label or a baseline.
#[rustfmt::skip]
const NOT_VALUE_BEFORE: &[&str] = &[
    "第", "附件", "附表", "专栏", "表", "图", "由", "从", "比", "较", "自",
];

/// Modal and time words dropped from the front of a metric.
#[rustfmt::skip]
const LEAD_WORDS: &[&str] = &[
    "其中", "同时", "力争", "争取", "确保", "努力", "全年", "今年", "年内", "年底", "并且", "并",
    "且", "但", "而", "要", "使",
];

/// Words dropped from the end of a metric.
#[rustfmt::skip]
const TRAIL_WORDS: &[&str] = &[
    "原则上", "分别", "全部", "要", "将", "均", "需", "应", "力争", "争取", "确保", "大幅", "仍",
    "还", "已", "都", "也", "再", "可", "在", "的",
];

/// Units of time: a value in one after `…后`/`…前` is a time limit
/// (`结束后15个工作日内`), not a target.
const TIME_UNITS: &[&str] = &["个工作日", "工作日", "个月", "小时", "天", "日", "周", "年"];

/// Metrics longer than this are table rows or run-on text, not a metric.
const MAX_METRIC: usize = 40;

/// How far before a value its metric may start, in characters.
const LOOK_BACK: usize = 120;

struct Clause<'a> {
    s: &'a [char],
    a: usize,
    b: usize,
    prev: Option<(usize, usize)>,
    by: Option<NaiveDate>,
}

/// A value and what surrounds it.
struct Value {
    start: usize,
    end: usize,
    value: f64,
    unit_end: usize,
    unit: String,
    suffix_op: Option<&'static str>,
    /// End of value, unit and suffix.
    tail: usize,
}

/// The members of a `、` list of values sharing one metric
/// (`分别下降9.6%、11.5%`).
struct List {
    metric: String,
    text_start: usize,
    op: &'static str,
    first: usize,
}

impl Clause<'_> {
    /// Scans the clause. `subject` is what the last target measured, for a
    /// clause that gives only a verb (`…完成2301亿元，增长5.6%`).
    fn scan(&self, out: &mut Vec<Target>, subject: &mut Option<String>) {
        let s = self.s;
        let mut seg = self.a;
        // Set when the previous value's noun ended in `和`/`及` before this one.
        let mut joined = false;
        let mut list: Option<List> = None;
        let mut i = self.a;
        while i < self.b {
            if !is_digit(s[i]) {
                i += 1;
                continue;
            }
            let Some((value, end)) = number(s, i, self.b) else {
                i = skip_digits(s, i);
                continue;
            };
            // A list number (`1.`, `5、`) starts a new segment.
            if let Some(after) = self.list_marker(seg, i, end) {
                seg = after;
                i = after;
                continue;
            }
            let v = self.value_at(i, end, value);
            if self.not_a_value(&v) {
                i = v.end;
                continue;
            }
            i = v.tail.max(i + 1);
            let k = skip_ws(s, v.tail).min(self.b);
            let continues_list = s.get(k) == Some(&'、')
                && matches!(s.get(skip_ws(s, k + 1)), Some(c) if is_digit(*c));

            if let Some(l) = list.as_mut() {
                let op = v.suffix_op.unwrap_or(l.op);
                out.push(self.target(l.text_start, v.tail, l.metric.clone(), op, &v));
                if !continues_list {
                    if let Some(op) = v.suffix_op {
                        // `3天、4天、5天内`: the last suffix holds for all.
                        for t in &mut out[l.first..] {
                            t.op = op.to_string();
                        }
                    }
                    list = None;
                    seg = k;
                }
                continue;
            }

            let joined_before = std::mem::take(&mut joined);
            let Some(found) = self.metric(seg, &v, joined_before) else {
                continue;
            };
            let (mut text_start, mut metric, op, build) = found;
            // What follows the value decides whether it is a target.
            let (rest_end, stop) = self.rest_end(k);
            let mut text_end = v.tail;
            let mut next_seg = None;
            if stop < self.b && is_digit(s[stop]) && rest_end == k {
                // `3个120急救分站`: the value runs into another number.
                continue;
            }
            if rest_end > k {
                if s[k] == '的' {
                    continue;
                }
                let counts = v.unit == "%"
                    || v.unit == "％"
                    || v.unit
                        .chars()
                        .last()
                        .is_some_and(|c| CLASSIFIERS.contains(c));
                if !(counts || build || joined_before) {
                    // `5亿元以上大项目`: the value qualifies a noun.
                    continue;
                }
                let mut noun_end = rest_end;
                if stop < self.b && is_digit(s[stop]) {
                    // A number inside the noun makes the value a qualifier
                    // (`新建1栋地上3层…`), unless a connector joins two
                    // counted nouns (`新增2家废钢和1家废铝加工企业`).
                    if !matches!(s[noun_end - 1], '和' | '及' | '与' | '、') {
                        continue;
                    }
                    noun_end -= 1;
                    joined = true;
                    next_seg = Some(stop);
                }
                metric.extend(s[k..noun_end].iter().filter(|c| !c.is_whitespace()));
                text_end = noun_end;
            }
            if metric.is_empty() && !joined_before {
                match self.metric_from_prev() {
                    Some((start, m)) => {
                        text_start = start;
                        metric = m;
                    }
                    None => continue,
                }
            }
            if !self.keep_metric(&metric, &v) {
                joined = false;
                continue;
            }
            if let Some(whole) = subject
                .as_ref()
                .and_then(|subj| with_subject(subj, &metric))
            {
                metric = whole;
            }
            *subject = subject_of(&metric);
            let first = out.len();
            out.push(self.target(text_start, text_end, metric.clone(), op, &v));
            if continues_list {
                list = Some(List {
                    metric,
                    text_start,
                    op,
                    first,
                });
            } else {
                seg = next_seg.unwrap_or_else(|| skip_separator(s, skip_ws(s, text_end), self.b));
            }
        }
    }

    fn target(&self, start: usize, end: usize, metric: String, op: &str, v: &Value) -> Target {
        Target {
            text: squeeze(&self.s[start..end]),
            metric,
            op: op.to_string(),
            value: v.value,
            unit: v.unit.clone(),
            by: self.by,
        }
    }

    /// `1.`, `5、`, `（2）` at the start of a segment or glued after an owner
    /// clause: returns where the item text after it starts.
    fn list_marker(&self, seg: usize, i: usize, end: usize) -> Option<usize> {
        let s = self.s;
        if end - i > 3 || s[i..end].iter().any(|c| *c == '.' || *c == '．') {
            return None;
        }
        match (i.checked_sub(1).map(|p| s[p]), s.get(end)) {
            (Some('(' | '（'), Some(')' | '）')) => Some(end + 1),
            (_, Some('.' | '．' | '、')) => {
                let next = s.get(end + 1).copied();
                let at_start = seg <= i && i - seg <= 8 && s[seg..i].iter().all(|c| is_markup(*c));
                let after_han = i > self.a && is_han(s[i - 1]);
                let ok = !matches!(next, Some(c) if is_digit(c)) && (at_start || after_han);
                ok.then_some(end + 1)
            }
            _ => None,
        }
    }

    fn value_at(&self, start: usize, end: usize, value: f64) -> Value {
        let s = self.s;
        let k = skip_ws(s, end).min(self.b);
        let (unit, unit_end) = unit_at(s, k, self.b).unwrap_or_default();
        let unit_end = if unit.is_empty() { end } else { unit_end };
        let k = skip_ws(s, unit_end).min(self.b);
        let (suffix_op, tail) = match SUFFIXES
            .iter()
            .find_map(|(w, op)| word(s, k, w).filter(|e| *e <= self.b).map(|e| (*op, e)))
        {
            Some((op, e)) => (Some(op).filter(|op| !op.is_empty()), e),
            None => (None, unit_end),
        };
        Value {
            start,
            end,
            value,
            unit_end,
            unit,
            suffix_op,
            tail,
        }
    }

    /// Years, dates, labels, ordinals, codes, ranges and quoted names.
    fn not_a_value(&self, v: &Value) -> bool {
        let s = self.s;
        let before = s[..v.start]
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            .copied();
        let just_before = v.start.checked_sub(1).map(|p| s[p]);
        let after = skip_ws(s, v.end);
        let next = s.get(after).copied();
        let n_digits = s[v.start..v.end].iter().filter(|c| is_digit(**c)).count();
        // A name with digits: `PM2.5`, `G209`, `5G`, `“1+5”`.
        if matches!(just_before, Some(c) if c.is_ascii_alphabetic())
            || (v.unit.is_empty() && matches!(s.get(v.end), Some(c) if c.is_ascii_alphabetic()))
            || matches!(s.get(v.end), Some('+' | '＋' | ':' | '：'))
            // A fraction `1/3`: neither part is a value on its own.
            || (s.get(v.end) == Some(&'/') && s.get(v.end + 1).is_some_and(|c| is_digit(*c)))
            || (just_before == Some('/') && v.start >= 2 && is_digit(s[v.start - 2]))
            || (matches!(before, Some(c) if is_open_quote(c))
                && matches!(next, Some(c) if is_close_quote(c)))
        {
            return true;
        }
        // A year: `2023年`, `〔2022〕`, `2021-2035`.
        if n_digits == 4
            && (1900.0..=2100.0).contains(&v.value)
            && (next == Some('年')
                || matches!(before, Some('〔' | '[' | '［' | '(' | '（' | '【'))
                || matches!(next, Some('-' | '—' | '–' | '至' | '〕' | ']' | '］')))
        {
            return true;
        }
        if n_digits > 12
            || (v.unit.is_empty() && LABELS.iter().any(|w| word(s, after, w).is_some()))
        {
            return true;
        }
        let p = prev_non_ws_end(s, v.start);
        // `比` marks a baseline, but `占比`, `同比`, `环比` name a ratio.
        let ratio = ["占比", "同比", "环比"]
            .iter()
            .any(|w| ends_with(s, 0, p, w));
        if !ratio && NOT_VALUE_BEFORE.iter().any(|w| ends_with(s, 0, p, w)) {
            return true;
        }
        // A range: `3—5个`, `8～10个`, `10000元至50000元`.
        let k = skip_ws(s, v.unit_end);
        let range_next = matches!(
            s.get(k),
            Some('-' | '—' | '–' | '～' | '~' | '至' | '到' | '耀')
        ) && matches!(s.get(skip_ws(s, k + 1)), Some(c) if is_digit(*c));
        let range_prev = p > 0 && matches!(s[p - 1], '-' | '—' | '–' | '～' | '~' | '耀')
            || (p > 0 && matches!(s[p - 1], '至' | '到') && {
                let q = prev_non_ws_end(s, p - 1);
                q > 0 && (is_digit(s[q - 1]) || unit_before(s, q))
            });
        range_next || range_prev
    }

    /// The metric of a value: text start, metric, comparator and whether a
    /// build verb precedes the value. `None` when nothing marks the value
    /// as a target.
    fn metric(
        &self,
        seg: usize,
        v: &Value,
        joined: bool,
    ) -> Option<(usize, String, &'static str, bool)> {
        let s = self.s;
        // Bounding the look-back keeps long clauses linear; a metric that
        // starts further back is too long to keep anyway.
        let seg = seg.max(v.start.saturating_sub(LOOK_BACK));
        let p = prev_non_ws_end(s, v.start).max(seg);
        let mut symbol = None;
        let mut word_op = None;
        let mut verb = false;
        let mut build = false;
        let mut m_end = p;
        if p > seg {
            let two = if p >= seg + 2 { Some(s[p - 2]) } else { None };
            symbol = match (two, s[p - 1]) {
                (Some('>'), '=') => Some((">=", 2)),
                (Some('<'), '=') => Some(("<=", 2)),
                (_, '≥' | '≧' | '⩾') => Some((">=", 1)),
                (_, '≤' | '≦' | '⩽') => Some(("<=", 1)),
                (_, '>' | '＞') => Some((">", 1)),
                (_, '<' | '＜') => Some(("<", 1)),
                (_, '=' | '＝') => Some(("=", 1)),
                _ => None,
            };
            if let Some((_, n)) = symbol {
                m_end = p - n;
            } else if let Some((w, op)) = comparator_before(s, seg, p) {
                word_op = Some(op);
                m_end = p - w.chars().count();
            } else if let Some(w) = VERBS.iter().find(|w| ends_with(s, seg, p, w)) {
                verb = true;
                build = BUILD_VERBS.contains(w);
            }
        }
        let (m_start, m_end) = self.trim_metric(seg, m_end);
        let metric = self.metric_text(m_start, m_end);
        if joined {
            // The second noun of `新增2家废钢和1家废铝加工企业`.
            verb = true;
            build = true;
        }
        if !verb && symbol.is_none() && word_op.is_none() {
            // `完成绿化里程10公里`: a work verb earlier in the metric.
            verb = VERBS.iter().any(|w| metric.contains(w)) && !v.unit.is_empty();
            if !verb && v.suffix_op.is_none() {
                return None;
            }
        }
        if v.unit.is_empty() && symbol.is_none() && word_op.is_none() && v.suffix_op.is_none() {
            return None;
        }
        let op = symbol
            .map(|(op, _)| op)
            .or(v.suffix_op)
            .or(word_op)
            .unwrap_or("=");
        Some((m_start, metric, op, build))
    }

    /// `加快5G基站建设，年底力争达到8000座以上`: when the clause names no
    /// metric, the clause before is the metric (if it gave no target).
    fn metric_from_prev(&self) -> Option<(usize, String)> {
        let (pa, pb) = self.prev?;
        let (ps, pe) = self.trim_metric(pa, pb);
        let metric = self.metric_text(ps, pe);
        (!metric.is_empty()).then_some((ps, metric))
    }

    /// The metric's span after dropping list marks, time phrases, modal
    /// words and a baseline (`由52%`).
    fn trim_metric(&self, mut a: usize, mut b: usize) -> (usize, usize) {
        let s = self.s;
        // A baseline `由52%`/`从210.5亿元` ends the metric.
        if let Some(k) = (a..b).find(|&k| {
            matches!(s[k], '由' | '从')
                && matches!(s.get(skip_ws(s, k + 1)), Some(c) if is_digit(*c))
        }) {
            b = k;
        }
        // Inside an unclosed bracket the metric starts after it:
        // `…低风险（或建筑面积1万平方米以下`.
        if let Some(k) = (a..b).rev().find(|&k| matches!(s[k], '（' | '(')) {
            if !s[k..b].iter().any(|c| matches!(c, '）' | ')')) {
                a = k + 1;
            }
        }
        loop {
            let before = a;
            while a < b
                && (is_markup(s[a]) || s[a].is_whitespace() || matches!(s[a], '）' | ')' | '或'))
            {
                a += 1;
            }
            a = skip_heading_number(s, a, b);
            if a < b {
                if let Some(e) = date_phrase_end(s, a).filter(|e| *e <= b) {
                    a = e;
                }
            }
            if let Some(e) = LEAD_WORDS
                .iter()
                .find_map(|w| word(s, a, w))
                .filter(|e| *e <= b)
            {
                a = e;
            }
            if a == before {
                break;
            }
        }
        loop {
            while b > a && (s[b - 1].is_whitespace() || matches!(s[b - 1], '（' | '(' | '“')) {
                b -= 1;
            }
            match TRAIL_WORDS.iter().find(|w| ends_with(s, a, b, w)) {
                Some(w) => b -= w.chars().count(),
                None => break,
            }
        }
        (a, b.max(a))
    }

    /// The metric as text: whitespace, `分别`, and a `比2020年` reference
    /// removed.
    fn metric_text(&self, a: usize, b: usize) -> String {
        let s = self.s;
        let mut out = String::new();
        let mut k = a;
        while k < b {
            if let Some(e) = word(s, k, "分别").filter(|e| *e <= b) {
                k = e;
                continue;
            }
            // A time phrase inside the metric (`目标任务2023年底实现…`,
            // `比2020年下降`) is not what is measured.
            let j = if matches!(s[k], '比' | '较') {
                skip_ws(s, k + 1)
            } else {
                k
            };
            if j < b && (is_digit(s[j]) || matches!(s[j], '到' | '至')) {
                if let Some(e) = date_phrase_end(s, j).filter(|e| *e <= b) {
                    k = e;
                    continue;
                }
            }
            if !s[k].is_whitespace() {
                out.push(s[k]);
            }
            k += 1;
        }
        out
    }

    /// The noun phrase that follows a value, up to a separator, a bracket,
    /// another number or the clause end: its end without trailing
    /// whitespace, and where it stopped.
    fn rest_end(&self, k: usize) -> (usize, usize) {
        let s = self.s;
        let mut stop = k;
        while stop < self.b
            && !is_separator(s[stop])
            && !is_digit(s[stop])
            && !matches!(s[stop], '（' | '(' | '[' | '［' | '）' | ')' | ']' | '］')
        {
            stop += 1;
        }
        let mut e = stop;
        while e > k && s[e - 1].is_whitespace() {
            e -= 1;
        }
        (e, stop)
    }

    /// Drops metrics that are not one: empty, run-on, or a time limit
    /// (`结束后15个工作日内`).
    fn keep_metric(&self, metric: &str, v: &Value) -> bool {
        let n = metric.chars().count();
        let time_limit =
            metric.ends_with(['后', '前', '起']) && TIME_UNITS.contains(&v.unit.as_str());
        n > 0 && n <= MAX_METRIC && !time_limit
    }
}

/// The longest comparator ending at `p`, and the comparison it gives.
fn comparator_before(s: &[char], seg: usize, p: usize) -> Option<(&'static str, &'static str)> {
    COMPARATORS
        .iter()
        .flat_map(|(op, words)| words.iter().map(move |w| (*w, *op)))
        .filter(|(w, _)| ends_with(s, seg, p, w))
        .max_by_key(|(w, _)| w.len())
}

/// `增长` after `地区生产总值完成2301亿元`: the metric names only a change,
/// so it takes the subject of the target before.
fn with_subject(subject: &str, metric: &str) -> Option<String> {
    let bare = ["年均", "同比", "分别", ""]
        .iter()
        .filter_map(|p| metric.strip_prefix(p))
        .any(|rest| VERBS.contains(&rest));
    bare.then(|| format!("{subject}{metric}"))
}

/// What a metric measures, without its verb: `地区生产总值` of
/// `地区生产总值完成`.
fn subject_of(metric: &str) -> Option<String> {
    let mut m = metric;
    loop {
        let before = m.len();
        for w in VERBS.iter().chain(["年均", "同比"].iter()) {
            if let Some(rest) = m.strip_suffix(w) {
                m = rest;
            }
        }
        if m.len() == before {
            break;
        }
    }
    (!m.is_empty()).then(|| m.to_string())
}

// ---- scanning helpers --------------------------------------------------

/// The end of the clause starting at `a`: the next `，。；：` (a `,` between
/// digits is a thousands separator).
fn clause_end(s: &[char], a: usize) -> usize {
    let mut k = a;
    while k < s.len() {
        match s[k] {
            '，' | '。' | '；' | ';' | '：' | ':' | '！' | '？' | '!' | '?' | '\n' => {
                return k
            }
            ',' => {
                let thousands = k > 0
                    && s[k - 1].is_ascii_digit()
                    && s.get(k + 1..k + 4)
                        .is_some_and(|d| d.iter().all(char::is_ascii_digit))
                    && !s.get(k + 4).is_some_and(char::is_ascii_digit);
                if !thousands {
                    return k;
                }
            }
            _ => {}
        }
        k += 1;
    }
    s.len()
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn digit_value(c: char) -> u64 {
    if c.is_ascii_digit() {
        u64::from(c as u32 - '0' as u32)
    } else {
        u64::from(c as u32 - '０' as u32)
    }
}

fn skip_digits(s: &[char], mut i: usize) -> usize {
    while i < s.len() && is_digit(s[i]) {
        i += 1;
    }
    i
}

/// A decimal number at `i` (`8.5`, `13,502`): its value and end. Long digit
/// runs (phone numbers, codes) give `None`.
fn number(s: &[char], i: usize, b: usize) -> Option<(f64, usize)> {
    let mut mantissa: u64 = 0;
    let mut digits = 0u32;
    let mut decimals = 0i32;
    let mut k = i;
    let mut in_fraction = false;
    while k < b {
        let c = s[k];
        if is_digit(c) {
            mantissa = mantissa.checked_mul(10)?.checked_add(digit_value(c))?;
            digits += 1;
            if in_fraction {
                decimals += 1;
            }
        } else if (c == '.' || c == '．')
            && !in_fraction
            && s.get(k + 1).is_some_and(|c| is_digit(*c))
        {
            in_fraction = true;
        } else if c == ','
            && !in_fraction
            && s.get(k + 1..k + 4)
                .is_some_and(|d| d.iter().all(char::is_ascii_digit))
        {
        } else {
            break;
        }
        k += 1;
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    Some((mantissa as f64 / 10f64.powi(decimals), k))
}

/// The unit at `k`: an optional multiplier (`万`, `亿`) and a unit word,
/// with a `/` compound (`万元/亩`, `微克/立方米`).
fn unit_at(s: &[char], k: usize, b: usize) -> Option<(String, usize)> {
    let within = |e: usize| e <= b;
    let unit_word = |k: usize| {
        UNITS
            .iter()
            .find_map(|u| word(s, k, u).filter(|e| within(*e)))
    };
    let mut end = match unit_word(k) {
        Some(e) => e,
        None => {
            let m = MULTIPLIERS
                .iter()
                .find_map(|u| word(s, k, u).filter(|e| within(*e)))?;
            unit_word(m).unwrap_or(m)
        }
    };
    if s.get(end) == Some(&'/') {
        if let Some(e) = unit_word(end + 1) {
            end = e;
        }
    }
    Some((s[k..end].iter().collect(), end))
}

/// Whether a unit word ends at `q` (for ranges such as `10000元至50000元`).
fn unit_before(s: &[char], q: usize) -> bool {
    UNITS.iter().any(|u| {
        let n = u.chars().count();
        q > n && ends_with(s, 0, q, u) && is_digit(s[q - n - 1])
    })
}

/// `一、`, `（一）`, `①`: heading numbers in Chinese at the metric's start.
fn skip_heading_number(s: &[char], a: usize, b: usize) -> usize {
    if a >= b {
        return a;
    }
    if ('①'..='⑳').contains(&s[a]) {
        return a + 1;
    }
    let open = matches!(s[a], '（' | '(');
    let mut k = if open { a + 1 } else { a };
    let digits_start = k;
    while k < b && "一二三四五六七八九十".contains(s[k]) {
        k += 1;
    }
    if k == digits_start || k >= b {
        return a;
    }
    match (open, s[k]) {
        (true, '）' | ')') | (false, '、' | '是') => k + 1,
        _ => a,
    }
}

/// Skips a separator that joins two targets: `、`, `和`, `及`, `与`, `并`.
fn skip_separator(s: &[char], k: usize, b: usize) -> usize {
    if k < b && matches!(s[k], '、' | '和' | '及' | '与' | '并' | '，' | ',') {
        k + 1
    } else {
        k
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, '、' | '，' | '。' | '；' | ',' | ';' | '：' | ':')
}

fn is_markup(c: char) -> bool {
    matches!(c, '*' | '#' | '·' | '•' | '-' | '—' | '>' | '|')
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '“' | '"' | '「' | '『' | '‘' | '\'' | '《')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '”' | '"' | '」' | '』' | '’' | '\'' | '》')
}

/// Matches `w` at `i`; returns the index after it.
fn word(s: &[char], i: usize, w: &str) -> Option<usize> {
    let mut k = i;
    for c in w.chars() {
        if s.get(k) != Some(&c) {
            return None;
        }
        k += 1;
    }
    Some(k)
}

/// Whether `s[lo..end]` ends with `w`.
fn ends_with(s: &[char], lo: usize, end: usize, w: &str) -> bool {
    let n = w.chars().count();
    end <= s.len() && end >= lo + n && s[end - n..end].iter().copied().eq(w.chars())
}

fn skip_ws(s: &[char], mut i: usize) -> usize {
    while i < s.len() && s[i].is_whitespace() {
        i += 1;
    }
    i
}

/// The end of the text before `i` with trailing whitespace dropped.
fn prev_non_ws_end(s: &[char], mut i: usize) -> usize {
    while i > 0 && s[i - 1].is_whitespace() {
        i -= 1;
    }
    i
}

fn squeeze(s: &[char]) -> String {
    s.iter().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_is_passed_through() {
        let by = NaiveDate::from_ymd_opt(2023, 12, 31);
        let got = find_targets("地区生产总值增长8.5%", by);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].by, by);
    }

    #[test]
    fn decimals_are_exact() {
        let got = find_targets("PM2.5平均浓度控制在63.7微克/立方米以内", None);
        assert_eq!(got[0].value, 63.7);
        let got = find_targets("公共充电桩达到13,502台", None);
        assert_eq!(got[0].value, 13502.0);
    }

    #[test]
    fn fuzz_like() {
        let samples = [
            "1.地区生产总值增长8.5%。责任单位：区发改局2.规模以上工业增加值增长8%，确保全年签约 3000 亿元以上、当年签约当年开工率达 60%",
            "（2）亿元地区生产总值生产安全事故死亡率<0.03。（市应急局牵头）（5）年均每十万人受灾人次<13000；城市绿地率≥40%",
            "到2023年，水气热接入时间分别控制在3天、4天、5天内，公办义务教育学生占比由52%大幅提升到95%以上，“1+5”组团，PM2.5",
            "力争招引一批5亿元以上大项目，年销售收入超5亿元企业达到15家，新建6万吨粮食储备库，打造 1耀2 个省级专业镇和 8耀10个市级专业镇",
            "运盐政办发〔2022〕8号 2021-2035 年 第二次 0359-2681234 13,502台 99999999999999999999999元 1.2.3.4 ．５％ 、、1、 ",
        ];
        for sample in samples {
            let chars: Vec<(usize, char)> = sample.char_indices().collect();
            for &(b, _) in &chars {
                let _ = find_targets(&sample[b..], None);
                let _ = find_targets(&sample[..b], None);
            }
            for (n, &(a, _)) in chars.iter().enumerate() {
                if let Some(&(b, _)) = chars.get(n + 9) {
                    let _ = find_targets(&sample[a..b], None);
                }
            }
        }
        for t in [
            "",
            "1",
            "1.",
            "(1)",
            "（1",
            "由1",
            "<1",
            "≥",
            "1、2",
            "１",
            "1,",
            "1,000",
            "万",
            "达到1万",
        ] {
            let _ = find_targets(t, None);
        }
    }
}
