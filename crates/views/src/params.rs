//! Reading a query from a request's parameters, without HTTP: each
//! malformed parameter refused with a Chinese message, a parameter nobody
//! reads refused, the words a parameter takes in one table.
//!
//! A read's query is a struct ([`BoardParams`], [`StatsParams`],
//! [`TrackListQuery`], … in `views::query`): the use case takes it, a page
//! builds it (a page that misnames a filter does not compile), and the API
//! reads it from the request's parameters with its extractor (`Filter` in `duban-web`).
//! Reading goes
//! through [`Params`]: each malformed parameter is refused with a Chinese
//! message naming it and what it should be, and a parameter nobody reads
//! is refused, so a typo does not silently widen a list. The OpenAPI
//! parameters are derived from the same struct (`IntoParams`), and a
//! parameter that takes words is documented from the very table its
//! reader accepts ([`Words`]), so the document and the parser cannot
//! drift apart.
//!
//! [`BoardParams`]: crate::BoardParams
//! [`StatsParams`]: crate::StatsParams
//! [`TrackListQuery`]: crate::TrackListQuery

use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

/// Why a query was refused: malformed (a parameter that is not what it
/// should be, or unknown: HTTP 400), or well formed but not to be answered
/// (HTTP 422). The message says in Chinese what was wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    Malformed(String),
    Unprocessable(String),
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Malformed(m) | QueryError::Unprocessable(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for QueryError {}

pub type QueryResult<T> = Result<T, QueryError>;

/// Query parameters read one by one, each with a Chinese message when it
/// is malformed; [`Params::finish`] refuses a parameter nobody read.
pub struct Params(BTreeMap<String, String>);

impl Params {
    pub fn new(q: HashMap<String, String>) -> Params {
        Params(q.into_iter().collect())
    }

    pub fn str(&mut self, name: &str) -> Option<String> {
        self.0
            .remove(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    pub fn i64(&mut self, name: &str, what: &str) -> QueryResult<Option<i64>> {
        self.str(name)
            .map(|v| {
                v.parse::<i64>().map_err(|_| {
                    QueryError::Malformed(format!("参数 {name}（{what}）应为整数，收到“{v}”"))
                })
            })
            .transpose()
    }

    /// A whole number within `range`, `default` when absent.
    pub fn i64_in(
        &mut self,
        name: &str,
        what: &str,
        range: std::ops::RangeInclusive<i64>,
        default: i64,
    ) -> QueryResult<i64> {
        let v = self.i64(name, what)?.unwrap_or(default);
        if !range.contains(&v) {
            return Err(QueryError::Malformed(format!(
                "{what} {name} 应在 {} 到 {} 之间，收到 {v}",
                range.start(),
                range.end()
            )));
        }
        Ok(v)
    }

    pub fn ids(&mut self, name: &str, what: &str) -> QueryResult<Option<Vec<i64>>> {
        self.str(name)
            .map(|v| {
                v.split([',', '，'])
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.parse::<i64>().map_err(|_| {
                            QueryError::Malformed(format!(
                                "参数 {name}（{what}）应为编号，多个用逗号分隔，收到“{v}”"
                            ))
                        })
                    })
                    .collect()
            })
            .transpose()
    }

    pub fn date(&mut self, name: &str, what: &str) -> QueryResult<Option<NaiveDate>> {
        self.str(name)
            .map(|v| parse_date(&v, name, what))
            .transpose()
    }

    pub fn bool(&mut self, name: &str, default: bool) -> QueryResult<bool> {
        match self.str(name).as_deref() {
            None => Ok(default),
            Some("true" | "1" | "yes" | "是") => Ok(true),
            Some("false" | "0" | "no" | "否") => Ok(false),
            Some(v) => Err(QueryError::Malformed(format!(
                "参数 {name} 应为 true 或 false，收到“{v}”"
            ))),
        }
    }

    /// One of the words of `T`'s table ([`Words`]).
    pub fn word<T: Words>(&mut self, name: &str) -> QueryResult<Option<T::Value>> {
        self.choice(name, T::WHAT, T::WORDS)
    }

    pub fn choice<T: Copy>(
        &mut self,
        name: &str,
        what: &str,
        options: &[(&[&str], T)],
    ) -> QueryResult<Option<T>> {
        let Some(v) = self.str(name) else {
            return Ok(None);
        };
        options
            .iter()
            .find(|(names, _)| names.contains(&v.as_str()))
            .map(|(_, t)| Some(*t))
            .ok_or_else(|| {
                // Each value by its code, with its Chinese name where it
                // has one: green（绿灯）.
                let all: Vec<String> = options
                    .iter()
                    .map(|(names, _)| match names.get(1) {
                        Some(zh) if !zh.is_ascii() => format!("{}（{zh}）", names[0]),
                        _ => names[0].to_string(),
                    })
                    .collect();
                QueryError::Malformed(format!(
                    "参数 {name}（{what}）无法识别“{v}”；可选：{}",
                    all.join("、")
                ))
            })
    }

    /// `limit` (1–200, default 50) and `offset`.
    pub fn page(&mut self) -> QueryResult<(i64, i64)> {
        let limit = self.i64("limit", "每页条数")?.unwrap_or(50);
        if !(1..=200).contains(&limit) {
            return Err(QueryError::Malformed(format!(
                "每页条数 limit 应在 1 到 200 之间，收到 {limit}"
            )));
        }
        let offset = self.i64("offset", "起始位置")?.unwrap_or(0);
        if offset < 0 {
            return Err(QueryError::Malformed("起始位置 offset 不能为负数".into()));
        }
        Ok((limit, offset))
    }

    /// `limit`, `offset` and the keyset `after` read by `cursor` (the
    /// previous page's `next`); `after` with an `offset` is refused (422).
    pub fn keyset<C>(
        &mut self,
        cursor: impl FnOnce(&str) -> QueryResult<C>,
    ) -> QueryResult<(i64, i64, Option<C>)> {
        let (limit, offset) = self.page()?;
        let after = self.str("after").map(|a| cursor(&a)).transpose()?;
        if after.is_some() && offset > 0 {
            return Err(QueryError::Unprocessable(
                "after 与 offset 不能同时使用：按上一页返回的 next 翻页时请去掉 offset".into(),
            ));
        }
        Ok((limit, offset, after))
    }

    pub fn finish(self) -> QueryResult<()> {
        match self.0.keys().next() {
            Some(k) => Err(QueryError::Malformed(format!(
                "未知的查询参数“{k}”；请检查参数名"
            ))),
            None => Ok(()),
        }
    }
}

/// A query read from a request's parameters.
pub trait FromParams: Sized {
    /// Takes the parameters the query reads out of `p`.
    fn from_params(p: &mut Params) -> QueryResult<Self>;

    /// The query of these parameters; one it does not read is refused.
    fn from_query(q: HashMap<String, String>) -> QueryResult<Self> {
        let mut p = Params::new(q);
        let query = Self::from_params(&mut p)?;
        p.finish()?;
        Ok(query)
    }
}

/// The words a parameter takes: each value with the words that name it,
/// the first its code. The parser reads this table ([`Params::word`]) and
/// the parameter's schema lists exactly its words: a type implementing
/// `Words` is given its schema by [`words_schema!`], and a query's field
/// names it as `#[param(value_type = Option<Lights>, inline)]`.
pub trait Words: 'static {
    /// The value a word names.
    type Value: Copy + PartialEq + 'static;
    /// What the parameter is, in Chinese (事项状态).
    const WHAT: &'static str;
    /// Each value with the words that name it, the code first.
    const WORDS: &'static [(&'static [&'static str], Self::Value)];

    /// The value's code (its first word).
    fn code(value: Self::Value) -> &'static str {
        Self::WORDS
            .iter()
            .find(|(_, v)| *v == value)
            .map_or("", |(words, _)| words[0])
    }

    /// The code of the value `word` names, if it names one (红灯 → red).
    fn code_of(word: &str) -> Option<&'static str> {
        let word = word.trim();
        Self::WORDS
            .iter()
            .find(|(words, _)| words.contains(&word))
            .map(|(words, _)| words[0])
    }

    /// The schema: a string, one of the words.
    fn schema() -> RefOr<Schema> {
        let words = Self::WORDS
            .iter()
            .flat_map(|(words, _)| words.iter().copied());
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .description(Some(Self::WHAT))
            .enum_values(Some(words))
            .into()
    }
}

/// Gives each of these [`Words`] types its OpenAPI schema (the words).
#[macro_export]
macro_rules! words_schema {
    ($($t:ty),* $(,)?) => {$(
        impl utoipa::PartialSchema for $t {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                <$t as $crate::params::Words>::schema()
            }
        }
        impl utoipa::ToSchema for $t {}
    )*};
}

pub fn parse_date(v: &str, name: &str, what: &str) -> QueryResult<NaiveDate> {
    v.trim().parse::<NaiveDate>().map_err(|_| {
        QueryError::Malformed(format!(
            "{name}（{what}）“{v}”不是有效日期，应写作 YYYY-MM-DD，例如 2024-12-31"
        ))
    })
}

/// The start of a page a page's link passes on in `name` (`offset`, or a
/// queue's own name), checked as the API checks `offset`; 0 when absent.
pub fn offset_param(q: &HashMap<String, String>, name: &str) -> QueryResult<i64> {
    let given = q.get(name).map(|v| ("offset".to_string(), v.clone()));
    Ok(Params::new(given.into_iter().collect()).page()?.1)
}
