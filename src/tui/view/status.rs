//! The two bottom lines: the filter bar (or the prompt, or key hints) and the status bar
//! (counts, sort, loading progress, short-lived messages).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::app::text_search::TextStatus;
use crate::app::{Action, App, Level, Mode, PromptKind};
use crate::tui::sanitize::safe;
use crate::tui::theme::Theme;

/// The filter bar: the query being typed with its unreadable terms marked, the prompt, or
/// hints for the keys of the current mode.
pub fn draw_input_line(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    // In the reading view this line holds the position line: a prompt replaces it whole.
    frame.render_widget(ratatui::widgets::Clear, area);
    if let Some(prompt) = app.prompt.as_ref() {
        if prompt.kind == PromptKind::Confirm {
            draw_question(frame, area, app, theme);
            return;
        }
        let n = prompt.targets.len();
        let lead = match prompt.kind {
            PromptKind::Command => ":".to_string(),
            PromptKind::Search => "search: ".to_string(),
            PromptKind::Note if prompt.notes_differ => {
                format!("note on {n} cables (their notes differ; this replaces them): ")
            }
            PromptKind::Note if n > 1 => format!("note on {n} cables: "),
            PromptKind::Note => "note: ".to_string(),
            PromptKind::Tag if n > 1 => {
                format!("tags on {n} cables (+add -remove, tab completes): ")
            }
            PromptKind::Tag => "tags (+add -remove, tab completes): ".to_string(),
            PromptKind::Assign if n > 1 => {
                format!("assign {n} cables to (empty: you, tab completes): ")
            }
            PromptKind::Assign => "assign to (empty: you, tab completes): ".to_string(),
            PromptKind::Confirm => String::new(),
        };
        let width = area.width as usize;
        // On a narrow line the lead gives way to the text being typed.
        let lead = if lead.chars().count() > width / 2 {
            match prompt.kind {
                PromptKind::Note | PromptKind::Tag if n > 1 => {
                    let what = if prompt.kind == PromptKind::Note {
                        "note"
                    } else {
                        "tags"
                    };
                    format!("{what} ({n}): ")
                }
                PromptKind::Note => "note: ".to_string(),
                PromptKind::Tag => "tags: ".to_string(),
                PromptKind::Assign => "assign: ".to_string(),
                PromptKind::Search => "/".to_string(),
                _ => lead,
            }
        } else {
            lead
        };
        let lead_len = lead.chars().count();
        let (text, cursor) = window(prompt.input.text(), prompt.input.cursor(), width, lead_len);
        let line = Line::from(vec![Span::styled(lead, theme.key()), Span::raw(text)]);
        frame.render_widget(line, area);
        set_cursor(frame, area, lead_len + cursor);
        draw_candidates(frame, area, &prompt.candidates, theme);
        return;
    }
    let typing = app.mode == Mode::Filter;
    // The thread view is not filtered: its keys are what the line is for there.
    let filter_shown = app.mode != Mode::Thread
        && (typing || app.filter.is_active() || !app.filter.input.text().is_empty());
    if filter_shown {
        let text = app.filter.input.text();
        // Each character with its style: unreadable terms are underlined in red, so they are
        // seen, not silently ignored.
        let mut styled: Vec<(char, Style)> = Vec::new();
        let mut push = |part: &str, style: Style| {
            styled.extend(safe(part).chars().map(|c| (c, style)));
        };
        let mut at = 0;
        let mut bad: Vec<_> = app.filter.errors.iter().map(|e| e.span.clone()).collect();
        bad.sort_by_key(|r| r.start);
        for span in bad {
            if span.start < at
                || span.end > text.len()
                || !text.is_char_boundary(span.start)
                || !text.is_char_boundary(span.end)
            {
                continue;
            }
            push(&text[at..span.start], Style::default());
            push(&text[span.clone()], theme.error());
            at = span.end;
        }
        push(&text[at..], Style::default());
        let width = area.width as usize;
        // While typing, the part around the text cursor is shown (the line scrolls sideways);
        // otherwise the start, cut with an ellipsis.
        let room = width.saturating_sub(2).max(1);
        let cursor = app.filter.input.cursor().min(styled.len());
        let start = if typing {
            cursor.saturating_sub(room)
        } else {
            0
        };
        let end = (start + room).min(styled.len());
        let mut spans = vec![Span::styled("/", theme.key())];
        spans.extend(runs(&styled[start..end]));
        let cut = end < styled.len() && !typing;
        if cut {
            spans.push(Span::raw("…"));
        }
        let used = 1 + (end - start) + usize::from(cut);
        let note = if let Some(e) = app.filter.errors.first() {
            Some(Span::styled(
                format!("   {}", safe(&e.message)),
                theme.error(),
            ))
        } else if app.filter.query.uses_full_text() && app.text.ready().is_none() {
            // The other terms filter now; the text terms once the index is there.
            Some(Span::styled(
                format!("   {}", app.text.waiting_note()),
                theme.dim(),
            ))
        } else if app.filter.query.uses_graph() && app.graph().is_none() {
            // As text terms: the others filter now, the graph terms once it is built.
            Some(Span::styled(
                "   building the reference graph…",
                theme.dim(),
            ))
        } else if app.filter.running {
            Some(Span::styled("   matching…", theme.dim()))
        } else {
            None
        };
        // Why a term cannot be read must be seen: a note too long for the room left is cut,
        // with an ellipsis, rather than left out.
        if let Some(mut note) = note {
            let room = width.saturating_sub(used);
            let len = note.content.chars().count();
            if len > room && room >= 12 {
                let cut: String = note.content.chars().take(room - 1).collect();
                note.content = format!("{cut}…").into();
            }
            if note.content.chars().count() <= room {
                spans.push(note);
            }
        }
        frame.render_widget(Line::from(spans), area);
        if typing {
            set_cursor(frame, area, 1 + cursor - start);
        }
        return;
    }
    frame.render_widget(hints(app, theme), area);
}

/// Styled characters as spans, one per run of equal style.
fn runs(styled: &[(char, Style)]) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut style = None;
    for &(c, s) in styled {
        if style.is_some_and(|x| x != s) {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                style.unwrap_or_default(),
            ));
        }
        style = Some(s);
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, style.unwrap_or_default()));
    }
    spans
}

/// The part of a typed text that fits `width` cells after a lead of `lead` cells, with the
/// text cursor in it, and the cursor's column within it: the line scrolls sideways as one
/// types past its end.
fn window(text: &str, cursor: usize, width: usize, lead: usize) -> (String, usize) {
    let chars: Vec<char> = safe(text).chars().collect();
    let cursor = cursor.min(chars.len());
    let room = width.saturating_sub(lead + 1).max(1);
    let start = cursor.saturating_sub(room);
    let end = (start + room).min(chars.len());
    (chars[start..end].iter().collect(), cursor - start)
}

/// The most rows the list of completions takes above the prompt.
const CANDIDATE_ROWS: usize = 6;

/// What `tab` could complete to, in rows over the lines above the prompt: names side by
/// side, as many rows as needed up to a few, the last saying how many more there are.
fn draw_candidates(frame: &mut Frame, area: Rect, candidates: &[String], theme: &Theme) {
    use ratatui::widgets::Clear;
    let rows = candidate_rows(candidates, area.width as usize, CANDIDATE_ROWS);
    let rows: Vec<String> = rows.into_iter().take(area.y as usize).collect();
    if rows.is_empty() {
        return;
    }
    let top = area.y - rows.len() as u16;
    let above = Rect::new(area.x, top, area.width, rows.len() as u16);
    frame.render_widget(Clear, above);
    for (n, row) in rows.into_iter().enumerate() {
        frame.render_widget(
            Line::styled(row, theme.dim()),
            Rect::new(area.x, top + n as u16, area.width, 1),
        );
    }
}

/// `candidates` packed into rows of `width` cells, at most `max` rows; when they do not all
/// fit, the last row ends with `… N more`.
fn candidate_rows(candidates: &[String], width: usize, max: usize) -> Vec<String> {
    let names: Vec<String> = candidates.iter().map(|c| safe(c).into_owned()).collect();
    let len = |row: &[&str]| row.iter().map(|n| n.chars().count() + 2).sum::<usize>();
    let mut rows: Vec<String> = Vec::new();
    let mut row: Vec<&str> = Vec::new();
    for (n, name) in names.iter().enumerate() {
        if !row.is_empty() && len(&row) + name.chars().count() > width {
            if rows.len() + 1 == max {
                // The rest is counted; names give way to the count where it needs room.
                let mut left = names.len() - n;
                while !row.is_empty() && len(&row) + format!("… {left} more").len() > width {
                    row.pop();
                    left += 1;
                }
                row.push("");
                rows.push(format!("{}… {left} more", row.join("  ")));
                return rows;
            }
            rows.push(row.join("  "));
            row.clear();
        }
        row.push(name);
    }
    if !row.is_empty() {
        rows.push(row.join("  "));
    }
    rows
}

/// A yes/no question. One that does not fit the line is wrapped upwards over the rows above
/// it, so the analyst reads all of it (and its keys) on a narrow terminal too.
fn draw_question(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    use ratatui::widgets::{Clear, Paragraph, Wrap};
    let question = safe(app.confirm.as_ref().map_or("", |c| c.question.as_str())).into_owned();
    let width = area.width.max(1) as usize;
    // Words wrap, so allow some slack over the plain division.
    let needed = (question.chars().count() * 5 / 4).div_ceil(width).max(1) as u16;
    let rows = needed.min(area.y + 1);
    let box_area = Rect::new(area.x, area.y + 1 - rows, area.width, rows);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(question, theme.key()))).wrap(Wrap { trim: true }),
        box_area,
    );
}

fn set_cursor(frame: &mut Frame, area: Rect, column: usize) {
    let x = area.x.saturating_add(column.min(u16::MAX as usize) as u16);
    if x < area.x + area.width {
        frame.set_cursor_position((x, area.y));
    }
}

/// The first key bound to each of a few actions of this mode: `/ filter  ? help  q quit`.
fn hints(app: &App, theme: &Theme) -> Line<'static> {
    let wanted: &[Action] = match app.mode {
        Mode::Reading => &[
            Action::Back,
            Action::Search,
            Action::NextCable,
            Action::FollowReference,
            Action::Help,
        ],
        Mode::Thread => &[
            Action::Back,
            Action::Open,
            Action::MarkThreadActioned,
            Action::Thread,
            Action::Help,
        ],
        _ => &[
            Action::Filter,
            Action::Open,
            Action::SortNext,
            Action::SortReverse,
            Action::Help,
            Action::Quit,
        ],
    };
    let bindings = app.bindings.get(&app.mode);
    let mut spans = Vec::new();
    for action in wanted {
        let key = bindings.and_then(|b| {
            b.iter()
                .find(|(_, acts)| acts.first() == Some(action))
                .map(|(k, _)| k.clone())
        });
        if let Some(key) = key {
            spans.push(Span::styled(key, theme.key()));
            spans.push(Span::styled(format!(" {}  ", action.name()), theme.dim()));
        }
    }
    Line::from(spans)
}

/// `1,204/2,000 cables · 47 close · 1,157 loose · sort precedence ▲ · reading 45% 120 MB/s 3s
/// left · message`.
pub fn draw_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let total = app.corpus.len();
    let grouping = &app.table.grouping;
    // Grouped, the rows hold context and folds: the count is the filter's matches, and the
    // rows are said apart.
    let shown = if grouping.applied() {
        app.table.listed.len()
    } else {
        app.table.shown.len()
    };
    let mut left = format!(" {}/{} cables", thousands(shown), thousands(total));
    if grouping.applied() {
        let n = grouping.threads;
        let rows = app.table.shown.len();
        left.push_str(&format!(
            " · {} row{} in {} thread{}",
            thousands(rows),
            if rows == 1 { "" } else { "s" },
            thousands(n),
            if n == 1 { "" } else { "s" }
        ));
    } else if grouping.on && app.graph().is_none() {
        left.push_str(" · threads once the graph is built");
    }
    let arrow = if app.table.sort.descending {
        "▼"
    } else {
        "▲"
    };
    let by_relevance = app.filter.is_active() && app.filter.relevance;
    // No header shows the sort when its column has no room: then the order is said first,
    // where a message drawn over the line's end does not hide it.
    let hidden_sort = !by_relevance && !super::table::sort_column_shown(app, area.width);
    if hidden_sort {
        left.push_str(&format!(
            " · sort {} {arrow} (column hidden)",
            app.table.sort.column.name()
        ));
    }
    // What an action would touch comes first: it must be seen on a narrow terminal too.
    if !app.triage.selection.is_empty() {
        left.push_str(&format!(
            " · {} selected",
            thousands(app.triage.selection.len())
        ));
        let hidden = app.hidden_selected();
        if hidden > 0 {
            left.push_str(&format!(", {} hidden", thousands(hidden)));
        }
    }
    if app.quitting.is_some() {
        left.push_str(" · saving…");
    }
    // How many matches hold the words typed, and how many only their letters in order.
    // Nothing to say of no matches.
    if let Some(counts) = app
        .filter
        .tier_counts
        .filter(|c| app.filter.is_active() && c.close + c.loose > 0)
    {
        left.push_str(&format!(
            " · {} close · {} loose",
            thousands(counts.close),
            thousands(counts.loose)
        ));
    }
    if by_relevance {
        left.push_str(" · by relevance");
    } else if !hidden_sort {
        left.push_str(&format!(" · sort {} {arrow}", app.table.sort.column.name()));
    }
    left.push_str(&format!(
        " · {} untriaged",
        thousands(app.untriaged_count())
    ));

    if !app.triage.unsaved.is_empty() {
        left.push_str(&format!(" · {} unsaved", app.triage.unsaved.len()));
    }
    if app.triage.read_only.is_some() {
        left.push_str(" · READ-ONLY");
    }
    if app.triage.unreachable.is_some() {
        left.push_str(" · store: reconnecting…");
    }
    // Files passed over (notices) are listed with the problems but not counted here.
    let problems = app.problems.iter().filter(|p| !p.is_notice()).count();
    if problems > 0 {
        left.push_str(&format!(
            " · {problems} problem{}",
            if problems == 1 { "" } else { "s" }
        ));
    }
    match &app.text.status {
        // Said once as a message when the index arrived; kept in sight for the whole run.
        TextStatus::Ready(search)
            if matches!(search.index.storage(), crate::search::Storage::Memory(_)) =>
        {
            left.push_str(" · text search in memory");
        }
        _ => {}
    }
    let is_message = app.message.is_some();
    let right = match (&app.message, app.load.finished) {
        (Some(m), _) => {
            let style = if m.level == Level::Error {
                theme.error()
            } else {
                Style::default()
            };
            // The build's progress stays in sight beside a message.
            let progress = match &app.text.status {
                TextStatus::Building(b) => format!(" · indexing text {}", b.describe()),
                _ => String::new(),
            };
            Span::styled(format!(" {}{progress} ", safe(&m.text)), style)
        }
        (None, None) => Span::styled(format!(" {} ", progress(app)), theme.dim()),
        (None, Some(_)) if let TextStatus::Building(b) = &app.text.status => {
            Span::styled(format!(" indexing text {} ", b.describe()), theme.dim())
        }
        (None, Some(t)) => Span::styled(format!(" read in {:.1}s ", t.as_secs_f64()), theme.dim()),
    };
    // The left part fills the line in the status style; a message is drawn over its end,
    // as are the figures of a load under way; the time a finished load took only takes the
    // room the left part leaves.
    let left_len = left.chars().count();
    let room = (area.width as usize).saturating_sub(left_len + 1);
    let building = matches!(app.text.status, TextStatus::Building(_));
    let right = if is_message
        || app.load.finished.is_none()
        || building
        || right.content.chars().count() <= room
    {
        right
    } else {
        Span::styled(String::new(), right.style)
    };
    let message_len = right.content.chars().count();
    // What the right part covers of the left is cut at a ` · ` and marked `…`, so no count
    // is left half drawn (`2,0`).
    let width = area.width as usize;
    let covered = if message_len <= width { message_len } else { 0 };
    let left = fit_left(&left, width.saturating_sub(covered));
    let fill = width.saturating_sub(left.chars().count());
    let left = format!("{left}{}", " ".repeat(fill));
    frame.render_widget(Line::from(Span::styled(left, theme.status())), area);
    if is_message
        && message_len > area.width as usize
        && app.prompt.is_none()
        && app.mode != Mode::Filter
        && area.y > 0
    {
        // A message longer than the line is wrapped over the rows above it, so a conflict or
        // an error is read whole (who, what, when) on a narrow terminal too.
        use ratatui::widgets::{Clear, Paragraph, Wrap};
        let width = area.width.max(1) as usize;
        let rows = ((message_len * 5 / 4).div_ceil(width) as u16).clamp(1, area.y);
        let above = Rect::new(area.x, area.y - rows, area.width, rows);
        frame.render_widget(Clear, above);
        frame.render_widget(
            Paragraph::new(Line::from(right)).wrap(Wrap { trim: true }),
            above,
        );
        return;
    }
    let width = (right.content.chars().count() as u16).min(area.width);
    let right_area = Rect::new(area.x + area.width - width, area.y, width, 1);
    frame.render_widget(Line::from(right), right_area);
}

/// The status bar's left part in `room` cells: whole ` · ` parts while they fit, then `…`.
fn fit_left(left: &str, room: usize) -> String {
    if left.chars().count() <= room {
        return left.to_string();
    }
    let mut out = String::new();
    for part in left.split(" · ") {
        let next = if out.is_empty() {
            part.to_string()
        } else {
            format!("{out} · {part}")
        };
        if next.chars().count() + 2 > room {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        // Not even the first part fits: its start, cut.
        out = left.chars().take(room.saturating_sub(2)).collect();
    }
    if room >= out.chars().count() + 2 {
        out.push_str(" …");
    }
    out
}

/// `reading 12,345 cables · 45 MB of 120 MB · 80 MB/s · 1s left`.
fn progress(app: &App) -> String {
    if app.load.progress.checking > 0 {
        // The cached cables are shown; their files' stamps are being compared.
        return format!(
            "checking {} files…",
            thousands(app.load.progress.checking as usize)
        );
    }
    if app.load.progress.total_bytes == 0 {
        // Nothing is known until the inputs have been looked at.
        return "reading…".to_string();
    }
    let p = app.load.progress;
    let elapsed = app
        .load
        .started
        .map(|s| s.elapsed().as_secs_f64())
        .unwrap_or(0.0)
        .max(0.001);
    let mb = p.bytes as f64 / 1e6;
    let total = p.total_bytes as f64 / 1e6;
    let rate = mb / elapsed;
    let left = if rate > 0.0 && total > mb {
        (total - mb) / rate
    } else {
        0.0
    };
    format!(
        "reading {} cables · {mb:.0} of {total:.0} MB · {rate:.0} MB/s · {left:.0}s left",
        thousands(p.cables as usize)
    )
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn candidates_pack_into_rows_and_count_the_rest() {
        let names: Vec<String> = [
            "sort-next",
            "sort-previous",
            "sort-reverse",
            "sort-relevance",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            super::candidate_rows(&names, 80, 6),
            ["sort-next  sort-previous  sort-reverse  sort-relevance"]
        );
        assert_eq!(
            super::candidate_rows(&names, 30, 6),
            ["sort-next  sort-previous", "sort-reverse  sort-relevance"]
        );
        assert_eq!(
            super::candidate_rows(&names, 30, 1),
            ["sort-next  … 3 more"]
        );
    }

    #[test]
    fn the_left_part_is_cut_between_its_parts() {
        let left = " 2,000/2,000 cables · sort classification ▲ (column hidden) · 2,000 untriaged";
        assert_eq!(super::fit_left(left, 200), left);
        assert_eq!(
            super::fit_left(left, 61),
            " 2,000/2,000 cables · sort classification ▲ (column hidden) …"
        );
        assert_eq!(super::fit_left(left, 30), " 2,000/2,000 cables …");
        assert!(!super::fit_left(left, 40).contains("2,0 "));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(1234567), "1,234,567");
        assert_eq!(super::thousands(999), "999");
    }
}
