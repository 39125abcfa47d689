//! (to be written)

#[allow(unused_imports)]
use crate::Store;
