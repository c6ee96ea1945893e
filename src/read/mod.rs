//! The containers cables come in, and the problems met reading them.
