//! The analyst's record of what was done with each cable, kept durably.
