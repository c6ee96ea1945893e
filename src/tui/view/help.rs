//! The help overlay: the keys of the mode it was opened from, generated from the active keymap
//! and filtered by what is typed; or the list of inputs that could not be read, followed by
//! the files passed over (notices).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::document::wrap;
use crate::app::{Action, App, HelpKind};
use crate::read::Problem;
use crate::tui::sanitize::safe;
use crate::tui::theme::Theme;
use crate::tui::view::table::fit;

/// The lines the overlay lists in `width` columns, before scrolling: for keys, a row per
/// binding and one per action without a key (runnable from the command line). Keys,
/// names and descriptions each keep their column; what is longer wraps within it.
pub fn help_lines(app: &App, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let Some(help) = app.help.as_ref() else {
        return Vec::new();
    };
    let needle = help.input.text().to_lowercase();
    match help.kind {
        // Problems first, in the order met; then the files passed over (notices), dimmed.
        HelpKind::Problems => {
            let (notices, problems): (Vec<_>, Vec<_>) =
                app.problems.iter().partition(|p| p.is_notice());
            let line = |p: &Problem, style: Style| {
                let text = safe(&p.to_string()).into_owned();
                let shown = text.to_lowercase().contains(&needle);
                shown.then(|| Line::styled(text, style))
            };
            problems
                .into_iter()
                .filter_map(|p| line(p, Style::default()))
                .chain(notices.into_iter().filter_map(|p| line(p, theme.dim())))
                .collect()
        }
        HelpKind::Keys => {
            let bindings = app.bindings.get(&help.of_mode).cloned().unwrap_or_default();
            let mut rows: Vec<(String, String, String)> = Vec::new();
            let mut bound: Vec<Action> = Vec::new();
            for (keys, actions) in &bindings {
                bound.extend(actions.iter().copied());
                let names = actions
                    .iter()
                    .map(|a| a.name())
                    .collect::<Vec<_>>()
                    .join(", ");
                let descriptions = actions
                    .iter()
                    .map(|a| a.description())
                    .collect::<Vec<_>>()
                    .join("; then ");
                let text = format!("{keys} {names} {descriptions}").to_lowercase();
                if text.contains(&needle) {
                    rows.push((safe(keys).into_owned(), names, descriptions.to_string()));
                }
            }
            let unbound: Vec<&Action> = Action::ALL
                .iter()
                .filter(|a| !bound.contains(a) && **a != Action::NoOp)
                .filter(|a| {
                    format!("{} {}", a.name(), a.description())
                        .to_lowercase()
                        .contains(&needle)
                })
                .collect();
            let columns = Columns::new(
                width as usize,
                rows.iter()
                    .map(|r| (r.0.as_str(), r.1.as_str()))
                    .chain(unbound.iter().map(|a| (":", a.name()))),
            );
            let mut lines: Vec<Line<'static>> = Vec::new();
            for (keys, names, descriptions) in &rows {
                columns.push(&mut lines, keys, names, descriptions, theme.key(), theme);
            }
            if !unbound.is_empty() {
                lines.push(Line::from(""));
                lines.push(Line::styled(
                    "Without a key here (run with the command line):",
                    theme.dim(),
                ));
                for a in unbound {
                    columns.push(
                        &mut lines,
                        ":",
                        a.name(),
                        a.description(),
                        theme.dim(),
                        theme,
                    );
                }
            }
            lines
        }
    }
}

/// The widths of the keys, names and descriptions columns of the keys list.
struct Columns {
    keys: usize,
    names: usize,
    descriptions: usize,
}

impl Columns {
    /// As wide as the longest keys and names, within limits that leave the description
    /// room; the description takes the rest.
    fn new<'a>(width: usize, rows: impl Iterator<Item = (&'a str, &'a str)>) -> Columns {
        let (mut keys, mut names) = (4, 4);
        for (k, n) in rows {
            keys = keys.max(k.chars().count());
            names = names.max(n.chars().count());
        }
        let keys = keys.min((width / 4).max(4));
        let names = names.min((width / 4).max(4));
        let descriptions = width.saturating_sub(keys + 2 + names + 1).max(8);
        Columns {
            keys,
            names,
            descriptions,
        }
    }

    /// One entry: as many lines as its longest column needs.
    fn push(
        &self,
        lines: &mut Vec<Line<'static>>,
        keys: &str,
        names: &str,
        description: &str,
        key_style: Style,
        theme: &Theme,
    ) {
        // Keys break after their commas, so a key is never cut in two where it fits.
        let keys: Vec<String> = split_keys(keys, self.keys)
            .iter()
            .map(|k| fit(k, self.keys))
            .collect();
        let names = wrap(names, self.names, 0, 0);
        let descriptions = wrap(description, self.descriptions, 0, 0);
        let rows = keys.len().max(names.len()).max(descriptions.len());
        let cell = |column: &[String], row: usize| column.get(row).cloned().unwrap_or_default();
        for row in 0..rows {
            let (k, n, d) = (
                cell(&keys, row),
                cell(&names, row),
                cell(&descriptions, row),
            );
            lines.push(Line::from(vec![
                Span::styled(format!("{k:<width$}  ", width = self.keys), key_style),
                Span::styled(format!("{n:<width$} ", width = self.names), theme.heading()),
                Span::raw(d),
            ]));
        }
    }
}

/// `ctrl-f, space, pagedown` in lines of at most `width`, broken after commas.
fn split_keys(keys: &str, width: usize) -> Vec<String> {
    let keys: Vec<&str> = keys.split(", ").collect();
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for (n, key) in keys.iter().enumerate() {
        let piece = if n + 1 < keys.len() {
            format!("{key},")
        } else {
            key.to_string()
        };
        if !line.is_empty() && line.chars().count() + 1 + piece.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    out.push(line);
    out
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(help) = app.help.as_ref() else {
        return;
    };
    let width = area.width.saturating_sub(4).clamp(1, 100);
    let height = area.height.saturating_sub(2).max(1);
    let x = area.x + (area.width.saturating_sub(width)) / 2;
    let y = area.y + (area.height.saturating_sub(height)) / 2;
    let popup = Rect::new(x, y, width, height);
    frame.render_widget(Clear, popup);
    let title = match help.kind {
        HelpKind::Keys => format!(" Keys in {} mode ", help.of_mode),
        HelpKind::Problems => {
            let notices = app.problems.iter().filter(|p| p.is_notice()).count();
            let problems = app.problems.len() - notices;
            problems_title(problems, notices)
        }
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    if inner.height == 0 {
        return;
    }
    let filter_line = Line::from(vec![
        Span::styled("filter: ", theme.dim()),
        Span::raw(safe(help.input.text()).into_owned()),
        Span::styled("  (type to filter, esc to close)", theme.dim()),
    ]);
    frame.render_widget(filter_line, Rect::new(inner.x, inner.y, inner.width, 1));
    let lines = help_lines(app, theme, inner.width);
    let room = inner.height.saturating_sub(1) as usize;
    let scroll = help.scroll.min(lines.len().saturating_sub(room));
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(room).collect();
    let list = Rect::new(
        inner.x,
        inner.y + 1,
        inner.width,
        inner.height.saturating_sub(1),
    );
    let shown = if shown.is_empty() {
        let empty = match help.kind {
            HelpKind::Problems if app.problems.is_empty() => "every input was read",
            _ => "nothing matches",
        };
        vec![Line::styled(empty, theme.dim())]
    } else {
        shown
    };
    frame.render_widget(Paragraph::new(shown), list);
}

/// ` 1 input problem, 2 notices `; only what there is, said in the singular
/// where it is one.
fn problems_title(problems: usize, notices: usize) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let parts: Vec<String> = [
        (problems, "input problem", "input problems"),
        (notices, "notice", "notices"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| count(n, one, many))
    .collect();
    if parts.is_empty() {
        " No input problems ".to_string()
    } else {
        format!(" {} ", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::{problems_title, split_keys};

    #[test]
    fn the_problems_title_counts_only_what_there_is() {
        assert_eq!(problems_title(0, 0), " No input problems ");
        assert_eq!(problems_title(1, 0), " 1 input problem ");
        assert_eq!(problems_title(0, 3), " 3 notices ");
        assert_eq!(problems_title(2, 1), " 2 input problems, 1 notice ");
    }

    #[test]
    fn keys_break_after_commas_only_when_needed() {
        assert_eq!(split_keys("space, pagedown", 15), ["space, pagedown"]);
        assert_eq!(
            split_keys("ctrl-f, space, pagedown", 15),
            ["ctrl-f, space,", "pagedown"]
        );
        assert_eq!(split_keys("q", 4), ["q"]);
    }
}
