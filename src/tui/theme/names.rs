//! The name of every style the views use: what a `theme.toml` overrides under `[styles]`.

macro_rules! style_names {
    ($($variant:ident = $name:literal : $what:literal,)*) => {
        /// A style the views use, by the name a theme file gives it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum StyleName {
            $($variant,)*
        }

        impl StyleName {
            pub const ALL: &[StyleName] = &[$(StyleName::$variant,)*];
            pub const COUNT: usize = StyleName::ALL.len();

            pub fn name(self) -> &'static str {
                match self {
                    $(StyleName::$variant => $name,)*
                }
            }

            /// Where the style is seen, for the README and `config check`.
            pub fn describe(self) -> &'static str {
                match self {
                    $(StyleName::$variant => $what,)*
                }
            }
        }
    };
}

style_names! {
    Flash = "flash": "precedence FLASH",
    NiactImmediate = "niact_immediate": "precedence NIACT IMMEDIATE",
    Immediate = "immediate": "precedence IMMEDIATE",
    Priority = "priority": "precedence PRIORITY",
    Routine = "routine": "precedence ROUTINE",
    PrecedenceUnknown = "precedence_unknown": "a precedence the cable does not state",
    Unclassified = "unclassified": "classification UNCLASSIFIED in the table",
    Confidential = "confidential": "classification CONFIDENTIAL in the table",
    Secret = "secret": "classification SECRET in the table",
    TopSecret = "top_secret": "classification TOP SECRET in the table",
    ClassificationUnknown = "classification_unknown": "a classification the cable does not state",
    Noforn = "noforn": "added to the classification of a NOFORN cable",
    BannerUnclassified = "banner_unclassified": "the reading view's banner, UNCLASSIFIED",
    BannerConfidential = "banner_confidential": "the reading view's banner, CONFIDENTIAL",
    BannerSecret = "banner_secret": "the reading view's banner, SECRET",
    BannerTopSecret = "banner_top_secret": "the reading view's banner, TOP SECRET",
    BannerUnknown = "banner_unknown": "the reading view's banner, classification not stated",
    Untriaged = "untriaged": "disposition untriaged",
    Actioned = "actioned": "disposition actioned",
    FollowUp = "follow_up": "disposition follow-up",
    Forwarded = "forwarded": "disposition forwarded",
    NoAction = "no_action": "disposition no-action",
    Header = "header": "the table's column titles",
    Selection = "selection": "the cursor's row",
    Unread = "unread": "a row not yet read",
    Context = "context": "a row of a thread shown for context: it does not match the filter",
    Selected = "selected": "the mark of a selected row",
    Unsaved = "unsaved": "the mark of a row whose triage is not yet stored",
    Match = "match": "text matching the filter or the search",
    CurrentMatch = "current_match": "the search match `n` is at",
    Heading = "heading": "headings and the cable's id",
    Label = "label": "labels, tags and portion marks",
    Key = "key": "keys in hints and help, and prompts",
    Dim = "dim": "secondary text: hints, progress, notices",
    Error = "error": "errors and unreadable filter terms",
    Status = "status": "the status bar",
}
