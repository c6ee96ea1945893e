//! A deterministic generator of realistic synthetic cables.
