//! The app's state and its one mutator.
//!
//! Terminal events pass through the keymap into an [`Action`]; [`App::update`] changes the
//! state and returns [`Effect`]s for the runtime to carry out (start a filter job, read a
//! cable's body). Views are pure functions of `&App`. Nothing here draws or reads the terminal.

pub mod action;
pub mod mode;

pub use action::Action;
pub use mode::Mode;
