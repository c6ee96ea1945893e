//! The one vocabulary of the app: every user action, with its name and a one-line description.
//!
//! Keymaps bind keys to these names, the `:` command line runs them by name, and the help
//! overlay and the README's key table are generated from the descriptions, so what a user
//! reads can never drift from what the keys do.

use std::fmt;
use std::str::FromStr;

macro_rules! actions {
    ($( $variant:ident => $name:literal, $description:literal; )*) => {
        /// A user action. Its name is its kebab-case form (`page-down`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $( $variant, )*
        }

        impl Action {
            /// Every action, in the order the help lists them.
            pub const ALL: &'static [Action] = &[ $( Action::$variant, )* ];

            pub fn name(self) -> &'static str {
                match self { $( Action::$variant => $name, )* }
            }

            pub fn description(self) -> &'static str {
                match self { $( Action::$variant => $description, )* }
            }
        }
    };
}

actions! {
    NoOp => "no-op", "Do nothing (unbinds a key)";
    Quit => "quit", "Quit cabletriage";
    Help => "help", "Show the keys of this mode and what they do";
    CommandLine => "command-line", "Run any action by name";
    Back => "back", "Close the current view or prompt";
    Down => "down", "Move down one row or line";
    Up => "up", "Move up one row or line";
    HalfPageDown => "half-page-down", "Move down half a page";
    HalfPageUp => "half-page-up", "Move up half a page";
    PageDown => "page-down", "Move down a page";
    PageUp => "page-up", "Move up a page";
    Top => "top", "Go to the first row or line";
    Bottom => "bottom", "Go to the last row or line";
    Open => "open", "Read the cable under the cursor";
    SortNext => "sort-next", "Sort by the next column";
    SortPrevious => "sort-previous", "Sort by the previous column";
    SortReverse => "sort-reverse", "Reverse the sort order";
    SortRelevance => "sort-relevance", "Toggle ordering filter matches by relevance";
    Filter => "filter", "Filter cables by typing a query";
    ClearFilter => "clear-filter", "Remove the filter and show every cable";
    ShowProblems => "show-problems", "List the inputs that could not be read, and those passed over";
    TogglePreview => "toggle-preview", "Show or hide a snippet of the cursor's cable under the table";
    ToggleThreads => "toggle-threads", "Group the rows by thread, or not";
    FoldThread => "fold-thread", "Fold the cursor's thread: only its first row shows, with its row count";
    UnfoldThread => "unfold-thread", "Unfold the cursor's thread";
    FoldAllThreads => "fold-all-threads", "Fold every thread";
    UnfoldAllThreads => "unfold-all-threads", "Unfold every thread";
    Accept => "accept", "Keep what was typed and leave the prompt";
    Cancel => "cancel", "Discard what was typed and leave the prompt";
    DeleteBack => "delete-back", "Delete the character before the cursor";
    DeleteForward => "delete-forward", "Delete the character under the cursor";
    DeleteWord => "delete-word", "Delete the word before the cursor";
    DeleteLine => "delete-line", "Delete everything typed";
    CursorLeft => "cursor-left", "Move the text cursor left";
    CursorRight => "cursor-right", "Move the text cursor right";
    CursorHome => "cursor-home", "Move the text cursor to the start";
    CursorEnd => "cursor-end", "Move the text cursor to the end";
    Complete => "complete", "Complete the name being typed";
    NextCable => "next-cable", "Read the next cable of the list";
    PreviousCable => "previous-cable", "Read the previous cable of the list";
    Search => "search", "Search inside the cable";
    SearchNext => "search-next", "Go to the next search match";
    SearchPrevious => "search-previous", "Go to the previous search match";
    NextReference => "next-reference", "Select the next reference, then the next citing cable";
    PreviousReference => "previous-reference", "Select the previous reference or citing cable";
    FollowReference => "follow-reference", "Read the selected reference or citing cable";
    GoBack => "go-back", "Return to the cable read before following a reference";
    MoreLikeThis => "more-like-this", "List the cables most like this one, the ten most alike first";
    Thread => "thread", "Show the conversation of this cable: what it cites and what cites it";
    MarkThreadActioned => "mark-thread-actioned", "Disposition for every cable the thread view shows: actioned";
    MarkThreadFollowUp => "mark-thread-follow-up", "Disposition for every cable the thread view shows: follow-up";
    MarkThreadForwarded => "mark-thread-forwarded", "Disposition for every cable the thread view shows: forwarded";
    MarkThreadNoAction => "mark-thread-no-action", "Disposition for every cable the thread view shows: no action";
    MarkThreadUntriaged => "mark-thread-untriaged", "Disposition for every cable the thread view shows: untriaged";
    MarkActioned => "mark-actioned", "Disposition: actioned (the selection, else this cable; in the thread view, its line)";
    MarkFollowUp => "mark-follow-up", "Disposition: follow-up";
    MarkForwarded => "mark-forwarded", "Disposition: forwarded";
    MarkNoAction => "mark-no-action", "Disposition: no action";
    MarkUntriaged => "mark-untriaged", "Disposition: back to untriaged";
    Note => "note", "Write a note on the disposition";
    ToggleSeen => "toggle-seen", "Mark seen or unseen";
    Tag => "tag", "Add or remove a tag of your own (prompt with completion)";
    ToggleTag1 => "toggle-tag-1", "Toggle your most used tag";
    ToggleTag2 => "toggle-tag-2", "Toggle your second most used tag";
    ToggleTag3 => "toggle-tag-3", "Toggle your third most used tag";
    SelectToggle => "select-toggle", "Select or unselect this cable";
    SelectExtend => "select-extend", "Select from the last selected cable to this one";
    SelectAll => "select-all", "Select every shown cable";
    SelectNone => "select-none", "Clear the selection";
    Assign => "assign", "Assign to an analyst (prompt with completion; empty: to you)";
    AssignToMe => "assign-to-me", "Assign to you";
    Unassign => "unassign", "Assign to nobody";
    TakeNext => "take-next", "Claim and open the next cable in view that nobody has triaged or claimed";
    Undo => "undo", "Undo the last triage action";
    Redo => "redo", "Redo the last undone triage action";
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Action {
    type Err = UnknownAction;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Action::ALL
            .iter()
            .copied()
            .find(|a| a.name() == name)
            .ok_or_else(|| UnknownAction {
                name: name.to_string(),
                nearest: nearest(name),
            })
    }
}

/// A name that is no action, with the closest one when there is a plausible one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAction {
    pub name: String,
    pub nearest: Option<&'static str>,
}

impl fmt::Display for UnknownAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown action {:?}", self.name)?;
        if let Some(n) = self.nearest {
            write!(f, " (did you mean {n:?}?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownAction {}

fn nearest(name: &str) -> Option<&'static str> {
    Action::ALL
        .iter()
        .map(|a| (strsim::damerau_levenshtein(name, a.name()), a.name()))
        .filter(|(d, n)| *d <= 2.max(n.len() / 3))
        .min()
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for a in Action::ALL {
            assert_eq!(a.name().parse::<Action>(), Ok(*a));
            assert!(!a.description().is_empty());
            assert!(
                a.name()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
        }
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }

    #[test]
    fn unknown_names_suggest_the_nearest() {
        let e = "pgae-down".parse::<Action>().unwrap_err();
        assert_eq!(e.nearest, Some("page-down"));
        assert_eq!(
            e.to_string(),
            "unknown action \"pgae-down\" (did you mean \"page-down\"?)"
        );
        assert_eq!("frobnicate".parse::<Action>().unwrap_err().nearest, None);
    }
}
