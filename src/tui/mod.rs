//! The terminal: setting it up and always restoring it, the event loop that turns keys into
//! actions through the keymap and runs effects in the background, and the views.

pub mod runtime;
pub mod sanitize;
pub mod svg;
pub mod terminal;
pub mod theme;
pub mod view;
