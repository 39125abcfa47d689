//! The typed views and queries of the use cases, from `duban_views` (a
//! crate of their own: no HTTP, no HTML). Re-exported here so that the
//! API and the pages name them `crate::views::…`.

pub use duban_views::*;
