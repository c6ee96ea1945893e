//! The inbox table. Only the rows on screen are laid out and drawn, so a frame costs the same
//! for ten cables or 250,000. Columns give way at narrow widths, least important first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use crate::app::{App, Mode};
use crate::corpus::Entry;
use crate::corpus::sort::Column;
use crate::store::{Disposition, Record};
use crate::tui::sanitize::safe;
use crate::tui::theme::Theme;

/// What a table column shows: a field of the cable (sortable), or the analyst's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Selection and unsaved marks.
    Mark,
    Field(Column),
    Disposition,
    MyTags,
    /// The analyst's note, where there is room.
    Note,
}

/// A column as drawn: what it shows, where it starts and how wide it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub column: Shown,
    pub x: u16,
    pub width: u16,
}

/// Column, minimum width, preferred width, importance (0 = kept longest).
const COLUMNS: [(Shown, u16, u16, u8); 11] = [
    (Shown::Mark, 1, 1, 0),
    (Shown::Field(Column::Precedence), 5, 5, 1),
    (Shown::Field(Column::Date), 10, 17, 3),
    (Shown::Field(Column::Id), 17, 18, 5),
    (Shown::Field(Column::Origin), 16, 22, 6),
    (Shown::Field(Column::Classification), 7, 7, 4),
    // What the analyst recorded stays longer than the date: it is what triage is about.
    // Six cells: the short disposition and the note mark.
    (Shown::Disposition, 6, 9, 2),
    (Shown::Field(Column::Subject), 30, 400, 0),
    (Shown::MyTags, 10, 16, 7),
    (Shown::Field(Column::Tags), 20, 24, 8),
    (Shown::Note, 12, 30, 9),
];

/// The subject grows to this before the other columns grow past their minimum.
const SUBJECT_COMFORT: u16 = 60;

/// Lays the columns out in `width` cells (the note column only when some cable has a note): drops the least important until the minimums fit;
/// then the subject grows to a comfortable width, then the others towards their preferred
/// width in order of importance, and the subject takes what is left.
pub fn columns(width: u16, notes: bool) -> Vec<Placed> {
    let mut kept: Vec<(Shown, u16, u16, u8)> = COLUMNS
        .iter()
        .copied()
        .filter(|c| notes || c.0 != Shown::Note)
        .collect();
    let needed = |cols: &[(Shown, u16, u16, u8)]| {
        cols.iter().map(|c| c.1).sum::<u16>() + cols.len().saturating_sub(1) as u16
    };
    while kept.len() > 1 && needed(&kept) > width {
        let Some(least) = kept
            .iter()
            .enumerate()
            .max_by_key(|(_, c)| c.3)
            .map(|(i, _)| i)
        else {
            break;
        };
        kept.remove(least);
    }
    let mut widths: Vec<u16> = kept.iter().map(|c| c.1).collect();
    let mut spare = width.saturating_sub(needed(&kept));
    let subject = kept
        .iter()
        .position(|c| c.0 == Shown::Field(Column::Subject));
    if let Some(s) = subject {
        let grow = SUBJECT_COMFORT.saturating_sub(widths[s]).min(spare);
        widths[s] += grow;
        spare -= grow;
    }
    let mut by_importance: Vec<usize> = (0..kept.len()).collect();
    by_importance.sort_by_key(|&i| kept[i].3);
    for &i in &by_importance {
        if Some(i) == subject {
            continue;
        }
        let grow = kept[i].2.saturating_sub(widths[i]).min(spare);
        widths[i] += grow;
        spare -= grow;
    }
    match subject {
        Some(s) => widths[s] += spare,
        None => {
            if let Some(last) = widths.last_mut() {
                *last = (*last + spare).min(width);
            }
        }
    }
    let mut x = 0;
    kept.iter()
        .zip(widths)
        .map(|(c, w)| {
            let placed = Placed {
                column: c.0,
                x,
                width: w,
            };
            x = x.saturating_add(w + 1);
            placed
        })
        .collect()
}

fn title(column: Shown) -> &'static str {
    let column = match column {
        Shown::Mark => return " ",
        Shown::Disposition => return "DISP",
        Shown::MyTags => return "MY TAGS",
        Shown::Note => return "NOTE",
        Shown::Field(c) => c,
    };
    match column {
        Column::Precedence => "PREC",
        Column::Date => "DATE (UTC)",
        Column::Id => "ID",
        Column::Origin => "ORIGIN",
        Column::Classification => "CLASS",
        Column::Subject => "SUBJECT",
        Column::Tags => "TAGS",
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let placed = columns(area.width, app.any_notes());
    let sort = app.table.sort;
    let arrow = if sort.descending { "▼" } else { "▲" };
    let header = Row::new(placed.iter().map(|p| {
        let mut text = title(p.column).to_string();
        if p.column == Shown::Field(sort.column)
            && !(app.filter.relevance && app.filter.is_active())
        {
            text.push_str(arrow);
        }
        Cell::from(text)
    }))
    .style(theme.header());

    let rows_room = area.height.saturating_sub(1) as usize;
    let start = app.table.offset.min(app.table.shown.len());
    let end = (start + rows_room).min(app.table.shown.len());
    let highlight_query = app.filter.is_active().then_some(&*app.filter.query);
    let rows = app.table.shown[start..end].iter().map(|&index| {
        let Some(entry) = app.corpus.get(index) else {
            return Row::new(Vec::<Cell>::new());
        };
        let record = app.triage.record(&entry.id);
        let row = Row::new(
            placed
                .iter()
                .map(|p| cell(app, index, entry, record, p, theme, highlight_query)),
        );
        // Unseen cables stand out, as unread mail does.
        if record.is_some_and(|r| r.seen) {
            row
        } else {
            row.style(theme.heading())
        }
    });
    let widths: Vec<ratatui::layout::Constraint> = placed
        .iter()
        .map(|p| ratatui::layout::Constraint::Length(p.width))
        .collect();
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.cursor_row());
    let mut state = ratatui::widgets::TableState::default();
    if !app.table.shown.is_empty()
        && matches!(
            app.mode,
            Mode::Table | Mode::Filter | Mode::Prompt | Mode::Help
        )
    {
        state.select(Some(app.table.cursor.saturating_sub(start)));
    }
    frame.render_stateful_widget(table, area, &mut state);
    if app.table.shown.is_empty() {
        let text = if app.load.finished.is_none() {
            "reading cables…"
        } else if app.filter.is_active() {
            "no cable matches the filter"
        } else {
            "no cables"
        };
        let y = area.y + 1.min(area.height.saturating_sub(1));
        frame.render_widget(
            Line::styled(text, theme.dim()),
            Rect::new(area.x, y, area.width, 1),
        );
    }
}

fn cell<'a>(
    app: &App,
    index: u32,
    entry: &'a Entry,
    record: Option<&Record>,
    placed: &Placed,
    theme: &Theme,
    query: Option<&crate::corpus::query::Query>,
) -> Cell<'a> {
    let column = match placed.column {
        Shown::Mark => {
            let selected = app.triage.selection.contains(&index);
            let unsaved = app.triage.unsaved.contains_key(&*entry.id);
            let mark = match (selected, unsaved) {
                (true, _) => Span::styled("●", theme.key()),
                (false, true) => Span::styled("*", theme.error()),
                _ => Span::raw(" "),
            };
            return Cell::from(mark);
        }
        Shown::Disposition => {
            let d = record.map_or(Disposition::Untriaged, |r| r.disposition);
            let unsaved = if app.triage.unsaved.contains_key(&*entry.id) {
                "*"
            } else {
                ""
            };
            // A cable with a note says so even where the note column has no room.
            let noted = if record.is_some_and(|r| r.note.is_some()) {
                "✎"
            } else {
                ""
            };
            return Cell::from(Span::styled(
                format!("{}{noted}{unsaved}", disposition_short(d)),
                theme.disposition(d),
            ));
        }
        Shown::Note => {
            let note = record.and_then(|r| r.note.as_deref()).unwrap_or_default();
            return Cell::from(Span::styled(
                safe(&note.replace(['\n', '\r', '\t'], " ")).into_owned(),
                theme.label(),
            ));
        }
        Shown::MyTags => {
            let tags = record.map(|r| r.tags.iter().cloned().collect::<Vec<_>>().join(" "));
            return Cell::from(Span::styled(
                safe(&tags.unwrap_or_default()).into_owned(),
                theme.label(),
            ));
        }
        Shown::Field(c) => c,
    };
    match column {
        Column::Precedence => Cell::from(Span::styled(
            entry.precedence.short(),
            theme.precedence(entry.precedence),
        )),
        Column::Date => {
            let text = entry.datetime().map_or_else(String::new, |d| {
                if placed.width >= 17 {
                    d.format("%Y-%m-%d %H:%MZ").to_string()
                } else {
                    d.format("%Y-%m-%d").to_string()
                }
            });
            Cell::from(text)
        }
        Column::Id => Cell::from(safe(&entry.id).into_owned()),
        Column::Origin => Cell::from(safe(&entry.origin).into_owned()),
        Column::Classification => Cell::from(Span::styled(
            entry.classification.short(),
            theme.classification(&entry.classification),
        )),
        Column::Subject => Cell::from(subject_line(&entry.subject, placed.width, theme, query)),
        Column::Tags => Cell::from(safe(&entry.tags.join(" ")).into_owned()),
    }
}

/// Short forms that fit the column: `ACT`, `F-UP`, `FWD`, `NO-AC`, blank for untriaged.
pub fn disposition_short(d: Disposition) -> &'static str {
    match d {
        Disposition::Untriaged => "",
        Disposition::Actioned => "ACT",
        Disposition::FollowUp => "F-UP",
        Disposition::Forwarded => "FWD",
        Disposition::NoAction => "NO-AC",
    }
}

/// The subject cut to `width`, matched characters highlighted.
fn subject_line<'a>(
    subject: &str,
    width: u16,
    theme: &Theme,
    query: Option<&crate::corpus::query::Query>,
) -> Line<'a> {
    let text: String = safe(subject).chars().take(width as usize).collect();
    let marks = query.map(|q| q.highlight(subject)).unwrap_or_default();
    if marks.is_empty() {
        return Line::from(text);
    }
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_marked = false;
    for (i, c) in text.chars().enumerate() {
        let marked = marks.contains(&i);
        if marked != run_marked && !run.is_empty() {
            let style = if run_marked {
                theme.matched()
            } else {
                Style::default()
            };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_marked = marked;
        run.push(c);
    }
    if !run.is_empty() {
        let style = if run_marked {
            theme.matched()
        } else {
            Style::default()
        };
        spans.push(Span::styled(run, style));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_every_width_and_drop_least_important_first() {
        for width in 0..300 {
            let placed = columns(width, true);
            assert!(!placed.is_empty());
            let end = placed.last().map_or(0, |p| p.x + p.width);
            assert!(end <= width.max(30), "width {width}: {placed:?}");
        }
        let at_80: Vec<Shown> = columns(80, true).iter().map(|p| p.column).collect();
        assert!(at_80.contains(&Shown::Field(Column::Subject)));
        assert!(at_80.contains(&Shown::Field(Column::Precedence)));
        assert!(at_80.contains(&Shown::Disposition));
        assert!(!at_80.contains(&Shown::Field(Column::Tags)));
        assert_eq!(columns(220, true).len(), COLUMNS.len());
    }
}
