//! The views draw cable text through the crate's one sanitiser (see [`crate::sanitize`]),
//! the same the commands print through.

pub use crate::sanitize::{is_unsafe, safe};
