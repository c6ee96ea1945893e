//! The help overlay: the keys of the mode it was opened from, generated from the active keymap
//! and filtered by what is typed; or the list of inputs that could not be read, followed by
//! the files passed over (notices).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::{Action, App, HelpKind};
use crate::read::Problem;
use crate::tui::sanitize::safe;
use crate::tui::theme::Theme;

/// The lines the overlay lists, before scrolling: for keys, one line per binding and one per
/// action without a key (runnable from the command line).
pub fn help_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
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
            let key_width = bindings
                .iter()
                .map(|(k, _)| k.chars().count())
                .max()
                .unwrap_or(4)
                .clamp(4, 18);
            let mut lines: Vec<Line<'static>> = Vec::new();
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
                if !text.contains(&needle) {
                    continue;
                }
                lines.push(Line::from(vec![
                    Span::styled(format!("{keys:<key_width$}  "), theme.key()),
                    Span::styled(format!("{names:<20} "), theme.heading()),
                    Span::raw(descriptions),
                ]));
            }
            let unbound: Vec<&Action> = Action::ALL
                .iter()
                .filter(|a| !bound.contains(a) && **a != Action::NoOp)
                .collect();
            let unbound: Vec<&Action> = unbound
                .into_iter()
                .filter(|a| {
                    format!("{} {}", a.name(), a.description())
                        .to_lowercase()
                        .contains(&needle)
                })
                .collect();
            if !unbound.is_empty() {
                lines.push(Line::from(""));
                lines.push(Line::styled(
                    "Without a key here (run with the command line):",
                    theme.dim(),
                ));
                for a in unbound {
                    lines.push(Line::from(vec![
                        Span::styled(format!("{:<key_width$}  ", ":"), theme.dim()),
                        Span::styled(format!("{:<20} ", a.name()), theme.heading()),
                        Span::raw(a.description()),
                    ]));
                }
            }
            lines
        }
    }
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
            format!(" {problems} input problems, {notices} files passed over ")
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
    let lines = help_lines(app, theme);
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
        vec![Line::styled("nothing matches", theme.dim())]
    } else {
        shown
    };
    frame.render_widget(Paragraph::new(shown), list);
}
