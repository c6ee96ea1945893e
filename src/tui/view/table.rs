//! The inbox table. Only the rows on screen are laid out and drawn, so a frame costs the same
//! for ten cables or 250,000. Columns give way at narrow widths, least important first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use crate::app::{App, Mode};
use crate::corpus::Entry;
use crate::corpus::graph::GroupedRow;
use crate::corpus::sort::{Column, SortColumn, TableSort};
use crate::store::{Disposition, Record};
use crate::tui::sanitize::safe;
use crate::tui::theme::{StyleName, Theme};

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
    /// Who the cable is assigned to, once some cable is.
    Assignee,
}

/// A column as drawn: what it shows, where it starts and how wide it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub column: Shown,
    pub x: u16,
    pub width: u16,
}

/// Column, minimum width, preferred width, importance (0 = kept longest).
///
/// At 80 columns the id (the handle analysts quote) and the origin (their "from", shortened)
/// stay; the classification gives way first.
const COLUMNS: [(Shown, u16, u16, u8); 12] = [
    (Shown::Mark, 1, 1, 0),
    (Shown::Field(Column::Precedence), 5, 5, 1),
    (Shown::Field(Column::Date), 10, 17, 3),
    // An id is the handle analysts quote: never cut (17 cells hold `08USUNNEWYORK1234`).
    (Shown::Field(Column::Id), 17, 18, 4),
    (Shown::Field(Column::Origin), 10, 22, 5),
    (Shown::Field(Column::Classification), 7, 7, 6),
    // What the analyst recorded stays longer than the date: it is what triage is about.
    // Six cells: the short disposition and the note mark.
    (Shown::Disposition, 6, 9, 2),
    // Who works on it: kept longer than the analyst's tags (same importance, drawn before).
    (Shown::Assignee, 8, 12, 7),
    (Shown::Field(Column::Subject), 25, 400, 0),
    (Shown::MyTags, 10, 16, 7),
    (Shown::Field(Column::Tags), 20, 24, 8),
    (Shown::Note, 12, 30, 9),
];

/// Where the subject is in [`COLUMNS`].
const SUBJECT: usize = 8;
/// Columns of this importance or more (the cable's tags, the note) only take room the
/// subject can spare.
const EXTRAS: u8 = 8;

/// The subject grows to this before the other columns grow past their minimum.
const SUBJECT_COMFORT: u16 = 60;

/// The columns of `app`'s table in `width` cells: [`columns_with`] the note and assignee
/// columns when some cable has a note, an assignee.
pub fn columns_for(app: &App, width: u16) -> Vec<Placed> {
    columns_with(width, app.any_notes(), app.any_assignees())
}

/// [`columns_with`] without the assignee column.
pub fn columns(width: u16, notes: bool) -> Vec<Placed> {
    columns_with(width, notes, false)
}

/// Lays the columns out in `width` cells (the note column only when some cable has a note,
/// the assignee column only when some cable is assigned: one analyst alone never sees it):
/// drops the least important until the minimums fit; then the subject grows to a
/// comfortable width, then the others towards their preferred width in order of importance,
/// and the subject takes what is left.
pub fn columns_with(width: u16, notes: bool, assignees: bool) -> Vec<Placed> {
    let mut kept: Vec<(Shown, u16, u16, u8)> = COLUMNS
        .iter()
        .copied()
        .filter(|c| notes || c.0 != Shown::Note)
        .filter(|c| assignees || c.0 != Shown::Assignee)
        .collect();
    let needed = |cols: &[(Shown, u16, u16, u8)]| {
        cols.iter().map(|c| c.1).sum::<u16>() + cols.len().saturating_sub(1) as u16
    };
    // The extras (the cable's tags, the note) only come once the subject has its
    // comfortable width.
    let subject_wants = SUBJECT_COMFORT.saturating_sub(COLUMNS[SUBJECT].1);
    while kept.len() > 1 {
        let Some((least, importance)) = kept
            .iter()
            .enumerate()
            .max_by_key(|(_, c)| c.3)
            .map(|(i, c)| (i, c.3))
        else {
            break;
        };
        let wanted = needed(&kept)
            + if importance >= EXTRAS {
                subject_wants
            } else {
                0
            };
        if wanted <= width {
            break;
        }
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
        Shown::Assignee => return "ASSIGNEE",
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

/// What a column shows when sorting by `sort`.
pub fn shown_for(sort: SortColumn) -> Shown {
    match sort {
        SortColumn::Field(c) => Shown::Field(c),
        SortColumn::Disposition => Shown::Disposition,
        SortColumn::MyTags => Shown::MyTags,
        SortColumn::Assignee => Shown::Assignee,
    }
}

/// Whether the column the table is sorted by is drawn at `width`.
pub fn sort_column_shown(app: &App, width: u16) -> bool {
    let sorted = shown_for(app.table.sort.column);
    columns_for(app, width).iter().any(|p| p.column == sorted)
}

/// A column's title, with the sort arrow when the table is sorted by it; a title too long
/// for the column with its arrow gives way (`DATE▲`), the arrow never does.
fn header_text(placed: &Placed, sort: Option<TableSort>) -> String {
    let title = title(placed.column);
    let width = placed.width as usize;
    let Some(sort) = sort.filter(|s| shown_for(s.column) == placed.column) else {
        return fit(title, width);
    };
    let arrow = if sort.descending { '▼' } else { '▲' };
    let title = match title.split_once(" (") {
        Some((short, _)) if title.chars().count() + 1 > width => short,
        _ => title,
    };
    let mut text = fit(title, width.saturating_sub(1));
    text.push(arrow);
    text
}

/// `text` cut to `width` cells, ending in `…` when it was cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    if width > 0 {
        cut.push('…');
    }
    cut
}

/// The origin for a column too narrow for it: `Embassy Moscow` is `Moscow` (most cables
/// come from embassies, so the post's name is what tells them apart), then cut.
pub(crate) fn origin_text(origin: &str, width: usize) -> String {
    let origin = safe(origin);
    if origin.chars().count() <= width {
        return origin.into_owned();
    }
    let short = origin
        .strip_prefix("Embassy ")
        .or_else(|| origin.strip_prefix("American Embassy "))
        .unwrap_or(&origin);
    fit(short, width)
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let placed = columns_for(app, area.width);
    let by_relevance = app.filter.relevance && app.filter.is_active();
    let sorted_by = (!by_relevance).then_some(app.table.sort);
    let header = Row::new(placed.iter().map(|p| Cell::from(header_text(p, sorted_by))))
        .style(theme.header());

    let rows_room = area.height.saturating_sub(1) as usize;
    let start = app.table.offset.min(app.table.shown.len());
    let end = (start + rows_room).min(app.table.shown.len());
    let highlight_query = app.filter.is_active().then_some(&*app.filter.query);
    let grouped = app.table.grouping.applied();
    let rows = (start..end)
        .zip(&app.table.shown[start..end])
        .map(|(position, &index)| {
            let Some(entry) = app.corpus.get(index) else {
                return Row::new(Vec::<Cell>::new());
            };
            let record = app.triage.record(&entry.id);
            let group = app.table.grouping.row(position).filter(|_| grouped);
            let row = Row::new(
                placed
                    .iter()
                    .map(|p| cell(app, index, entry, record, p, theme, highlight_query, group)),
            );
            if group.is_some_and(|g| !g.matched) {
                // A thread's cable shown only for context: it does not match the filter.
                row.style(theme.style(StyleName::Context))
            } else if record.is_some_and(|r| r.seen) {
                row
            } else {
                // Unseen cables stand out, as unread mail does.
                row.style(theme.style(StyleName::Unread))
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

#[allow(clippy::too_many_arguments)]
fn cell<'a>(
    app: &App,
    index: u32,
    entry: &'a Entry,
    record: Option<&Record>,
    placed: &Placed,
    theme: &Theme,
    query: Option<&crate::corpus::query::Query>,
    group: Option<&GroupedRow>,
) -> Cell<'a> {
    let column = match placed.column {
        Shown::Mark => {
            let selected = app.triage.selection.contains(&index);
            let unsaved = app.triage.unsaved.contains_key(&*entry.id);
            let mark = match (selected, unsaved) {
                (true, _) => Span::styled("●", theme.style(StyleName::Selected)),
                (false, true) => Span::styled("*", theme.style(StyleName::Unsaved)),
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
            let marks = format!("{noted}{unsaved}");
            let room = (placed.width as usize).saturating_sub(marks.chars().count());
            let full = d.as_str().to_uppercase();
            let label = if d == Disposition::Untriaged {
                String::new()
            } else if full.chars().count() <= room {
                full
            } else {
                fit(disposition_short(d), room)
            };
            return Cell::from(Span::styled(
                format!("{label}{marks}"),
                theme.disposition(d),
            ));
        }
        Shown::Note => {
            let note = record.and_then(|r| r.note.as_deref()).unwrap_or_default();
            return Cell::from(Span::styled(
                fit(
                    &safe(&note.replace(['\n', '\r', '\t'], " ")),
                    placed.width as usize,
                ),
                theme.label(),
            ));
        }
        Shown::Assignee => {
            let assignee = record
                .and_then(|r| r.assignee.as_deref())
                .unwrap_or_default();
            // Mine stands out: it is my work queue.
            let style = if assignee == app.triage.analyst {
                theme.key()
            } else {
                theme.label()
            };
            return Cell::from(Span::styled(
                fit(&safe(assignee), placed.width as usize),
                style,
            ));
        }
        Shown::MyTags => {
            let tags = record.map(|r| r.tags.iter().cloned().collect::<Vec<_>>().join(" "));
            return Cell::from(Span::styled(
                fit(&safe(&tags.unwrap_or_default()), placed.width as usize),
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
        Column::Id => Cell::from(fit(&safe(&entry.id), placed.width as usize)),
        Column::Origin => Cell::from(origin_text(&entry.origin, placed.width as usize)),
        Column::Classification => Cell::from(Span::styled(
            entry.classification.short(),
            theme.classification(&entry.classification),
        )),
        Column::Subject => {
            let mut prefix = group
                .map(|g| thread_prefix(g, app.ascii_tree))
                .unwrap_or_default();
            if let Some(readers) = app.triage.presence.get(entry.id.as_ref()) {
                prefix.push_str(&presence_marker(readers, app.ascii_tree));
            }
            let room = (placed.width as usize)
                .saturating_sub(unicode_width::UnicodeWidthStr::width(prefix.as_str()));
            let mut line = subject_line(&entry.subject, room as u16, theme, query);
            if !prefix.is_empty() {
                line.spans.insert(0, Span::styled(prefix, theme.dim()));
            }
            Cell::from(line)
        }
        Column::Tags => Cell::from(fit(&safe(&entry.tags.join(" ")), placed.width as usize)),
    }
}

/// Who else reads the cable now: `👁 alice ` (`@alice ` in ASCII), names sanitised.
fn presence_marker(readers: &[String], ascii: bool) -> String {
    let joined = readers.join(",");
    let names = safe(&joined);
    if ascii {
        format!("@{names} ")
    } else {
        format!("\u{1F441} {names} ")
    }
}

/// Levels of a thread drawn indented; deeper cables are drawn at this depth.
const MAX_INDENT: u16 = 8;

/// What goes before a grouped row's subject: a follower is indented two columns a level
/// under `└ `; a thread's first row shows its row count, `▾` open or `▸` folded. `ascii`: `` ` ``, `-`, `+` and `.` instead, as the thread view.
fn thread_prefix(group: &GroupedRow, ascii: bool) -> String {
    let (follower, other_root, open, folded) = if ascii {
        ("` ", ". ", '-', '+')
    } else {
        ("└ ", "· ", '▾', '▸')
    };
    if group.depth > 0 {
        let indent = 2 * (group.depth.min(MAX_INDENT) as usize - 1);
        return format!("{:indent$}{follower}", "");
    }
    match group.thread_rows {
        // Another root of the thread: it cites nothing earlier in it (a later cable, or an
        // absent one both cite, joins them), so it is not drawn as anyone's reply.
        0 => other_root.to_string(),
        1 => String::new(),
        n => {
            let marker = if group.folded { folded } else { open };
            format!("{marker} [{n}] ")
        }
    }
}

/// Short forms for a narrow column (the full name is shown where it fits): `ACT`, `F-UP`,
/// `FWD`, `NO-ACT`, blank for untriaged.
pub fn disposition_short(d: Disposition) -> &'static str {
    match d {
        Disposition::Untriaged => "",
        Disposition::Actioned => "ACT",
        Disposition::FollowUp => "F-UP",
        Disposition::Forwarded => "FWD",
        Disposition::NoAction => "NO-ACT",
    }
}

/// The subject cut to `width`, matched characters highlighted.
fn subject_line<'a>(
    subject: &str,
    width: u16,
    theme: &Theme,
    query: Option<&crate::corpus::query::Query>,
) -> Line<'a> {
    let text = fit(&safe(subject), width as usize);
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
        // The id and the origin are kept ahead of the classification.
        assert!(at_80.contains(&Shown::Field(Column::Id)));
        assert!(at_80.contains(&Shown::Field(Column::Origin)));
        assert!(at_80.contains(&Shown::Field(Column::Date)));
        assert!(!at_80.contains(&Shown::Field(Column::Classification)));
        assert_eq!(columns(220, true).len(), COLUMNS.len() - 1);
        assert_eq!(columns_with(240, true, true).len(), COLUMNS.len());
        assert_eq!(COLUMNS[SUBJECT].0, Shown::Field(Column::Subject));
        // At 120 the analyst's tags come, the cable's wait for the subject's comfort.
        let at_120 = columns(120, true);
        assert!(at_120.iter().any(|p| p.column == Shown::MyTags));
        assert!(
            !at_120
                .iter()
                .any(|p| p.column == Shown::Field(Column::Tags))
        );
        assert!(
            at_120
                .iter()
                .any(|p| p.column == Shown::Field(Column::Subject) && p.width >= 40)
        );
    }

    #[test]
    fn the_assignee_column_comes_when_some_cable_is_assigned_and_goes_before_my_tags() {
        let at = |width, assignees| -> Vec<Shown> {
            columns_with(width, false, assignees)
                .iter()
                .map(|p| p.column)
                .collect()
        };
        assert!(!at(200, false).contains(&Shown::Assignee));
        let wide = at(200, true);
        let disp = wide.iter().position(|c| *c == Shown::Disposition);
        let assignee = wide.iter().position(|c| *c == Shown::Assignee);
        assert_eq!(assignee, disp.map(|d| d + 1), "{wide:?}");
        // Narrower: my tags give way first, then the assignee; at 80 neither is drawn.
        let mid = (80..200)
            .find(|&w| at(w, true).contains(&Shown::Assignee))
            .unwrap_or(200);
        assert!(!at(mid, true).contains(&Shown::MyTags), "{mid}");
        assert!(!at(80, true).contains(&Shown::Assignee));
        for width in 0..300 {
            let placed = columns_with(width, true, true);
            let end = placed.last().map_or(0, |p| p.x + p.width);
            assert!(end <= width.max(30), "width {width}: {placed:?}");
        }
    }

    #[test]
    fn thread_prefixes_indent_followers_and_count_a_thread_on_its_first_row() {
        let thread_prefix_of = |row: &GroupedRow| thread_prefix(row, false);
        let row = |depth, thread_rows, folded| GroupedRow {
            entry: 0,
            depth,
            matched: true,
            thread_rows,
            folded,
        };
        assert_eq!(thread_prefix_of(&row(0, 12, false)), "▾ [12] ");
        assert_eq!(thread_prefix(&row(0, 12, true), true), "+ [12] ");
        assert_eq!(thread_prefix(&row(2, 0, false), true), "  ` ");
        assert_eq!(thread_prefix_of(&row(0, 12, true)), "▸ [12] ");
        assert_eq!(thread_prefix_of(&row(0, 1, false)), "", "a lone cable");
        assert_eq!(
            thread_prefix_of(&row(0, 0, false)),
            "· ",
            "another root of a thread"
        );
        assert_eq!(thread_prefix_of(&row(1, 0, false)), "└ ");
        assert_eq!(thread_prefix_of(&row(3, 0, false)), "    └ ");
        // Deeper than eight levels is drawn at eight.
        assert_eq!(
            thread_prefix_of(&row(8, 0, false)),
            thread_prefix_of(&row(40, 0, false))
        );
        assert_eq!(
            thread_prefix_of(&row(u16::MAX, 0, false)).chars().count(),
            16
        );
    }

    #[test]
    fn cut_cells_end_in_an_ellipsis_and_the_arrow_stays() {
        assert_eq!(fit("iran russia", 10), "iran russ…");
        assert_eq!(fit("iran", 10), "iran");
        assert_eq!(origin_text("Embassy Tel Aviv", 10), "Tel Aviv");
        assert_eq!(origin_text("Secretary of State", 10), "Secretary…");
        let date = Placed {
            column: Shown::Field(Column::Date),
            x: 0,
            width: 10,
        };
        let sort = TableSort {
            column: SortColumn::Field(Column::Date),
            descending: true,
        };
        assert_eq!(header_text(&date, Some(sort)), "DATE▼");
        assert_eq!(header_text(&date, None), "DATE (UTC)");
        let disp = Placed {
            column: Shown::Disposition,
            ..date
        };
        let sort = TableSort {
            column: SortColumn::Disposition,
            descending: false,
        };
        assert_eq!(header_text(&disp, Some(sort)), "DISP▲");
    }
}
