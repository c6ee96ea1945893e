//! The reading view: the classification banner, the document (header panel and wrapped body)
//! with a scrollbar, and a line saying where the reader is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::app::App;
use crate::app::document::{self, DocLine, Role};
use crate::tui::sanitize::safe;
use crate::tui::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(reading) = app.reading.as_ref() else {
        return;
    };
    if area.height < 3 || area.width == 0 {
        return;
    }
    let entry = app.corpus.get(reading.index);
    let classification = match &reading.cable {
        Some(Ok(c)) => c.classification,
        _ => entry.map(|e| e.classification).unwrap_or_default(),
    };
    let banner = Rect::new(area.x, area.y, area.width, 1);
    frame.render_widget(
        Paragraph::new(Line::from(classification.to_string()).centered())
            .style(theme.banner(&classification)),
        banner,
    );
    // The analyst's note stands under the banner, above the cable, while it is read.
    let note = entry
        .and_then(|e| app.triage.note(&e.id))
        .filter(|_| area.height >= 5);
    let note_rows = u16::from(note.is_some());
    if let Some(note) = note {
        frame.render_widget(
            Line::from(vec![
                Span::styled("Note: ", theme.heading()),
                Span::styled(
                    safe(&note.replace(['\n', '\r', '\t'], " ")).into_owned(),
                    theme.label(),
                ),
            ]),
            Rect::new(area.x, area.y + 1, area.width, 1),
        );
    }
    // One free column between the text and the scrollbar (as `App::reading_width`).
    let body = Rect::new(
        area.x,
        area.y + 1 + note_rows,
        area.width.saturating_sub(2).max(1),
        area.height - 2 - note_rows,
    );
    let position = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
    match &reading.cable {
        None => {
            frame.render_widget(Line::styled("reading the cable…", theme.dim()), body);
        }
        Some(Err(e)) => {
            frame.render_widget(
                Paragraph::new(format!("This cable cannot be read again: {}", safe(e)))
                    .style(theme.error()),
                body,
            );
        }
        Some(Ok(cable)) => {
            let width = body.width;
            let lines = reading.cached_lines(width).unwrap_or_else(|| {
                std::sync::Arc::new(document::layout(cable, width, reading.reference))
            });
            let search = reading.search.as_deref();
            let hits = search
                .map(|s| document::find(&lines, s))
                .unwrap_or_default();
            let current = reading.current_match.and_then(|m| hits.get(m)).copied();
            let visible: Vec<Line> = lines
                .iter()
                .enumerate()
                .skip(reading.scroll)
                .take(body.height as usize)
                .map(|(n, l)| {
                    let current_column = current.filter(|c| c.0 == n).map(|c| c.1);
                    styled(l, theme, search, current_column)
                })
                .collect();
            frame.render_widget(Paragraph::new(visible), body);
            let mut bar = ScrollbarState::new(lines.len().saturating_sub(body.height as usize))
                .position(reading.scroll);
            frame.render_stateful_widget(
                Scrollbar::new(ScrollbarOrientation::VerticalRight),
                Rect::new(area.x, body.y, area.width, body.height),
                &mut bar,
            );
            let total = lines.len().max(1);
            let last = (reading.scroll + body.height as usize).min(total);
            let percent = last * 100 / total;
            let mut info = vec![
                Span::styled(safe(&cable.id).into_owned(), theme.heading()),
                Span::raw(format!(
                    "  lines {}-{last} of {total} ({percent}%)",
                    reading.scroll + 1
                )),
            ];
            // The search's place comes before the reference: it is what `n` moves.
            if let Some(s) = search {
                let count = hits.len();
                let which = match reading.current_match {
                    Some(m) if m < count => format!("{}/{count}", m + 1),
                    _ => format!("{count} match{}", if count == 1 { "" } else { "es" }),
                };
                info.push(Span::raw(format!("  /{} {which}", safe(s))));
            }
            if let Some(r) = cable.references.get(reading.reference) {
                let known = app.corpus.find_id(r).is_some();
                let where_ = if known {
                    "in corpus"
                } else {
                    "not in this corpus"
                };
                info.push(Span::raw(format!(
                    "  ref {}/{} ▸ {} ({where_})",
                    reading.reference + 1,
                    cable.references.len(),
                    safe(r)
                )));
            }
            if let Some(r) = app.triage.record(&cable.id) {
                let d = r.disposition;
                if d != crate::store::Disposition::Untriaged {
                    info.push(Span::raw("  "));
                    info.push(Span::styled(d.as_str().to_string(), theme.disposition(d)));
                }
                if !r.tags.is_empty() {
                    let tags: Vec<&str> = r.tags.iter().map(String::as_str).collect();
                    info.push(Span::styled(
                        format!("  {}", safe(&tags.join(" "))),
                        theme.label(),
                    ));
                }
            }
            if !reading.back.is_empty() {
                info.push(Span::styled(
                    format!("  back: {}", reading.back.len()),
                    theme.dim(),
                ));
            }
            frame.render_widget(Line::from(fit(info, position.width as usize)), position);
        }
    }
}

/// A document line in its styles, search matches marked; the match `n` is at (its column,
/// when on this line) stands out more.
fn styled<'a>(
    line: &DocLine,
    theme: &Theme,
    search: Option<&str>,
    current: Option<usize>,
) -> Line<'a> {
    let mut column = 0;
    let spans: Vec<Span> = line
        .pieces
        .iter()
        .flat_map(|p| {
            let style = match p.role {
                Role::Text => Style::default(),
                Role::Heading => theme.heading(),
                Role::ParagraphNumber => theme.heading(),
                Role::PortionMark => theme.label(),
                Role::Label => theme.label(),
                Role::Value => Style::default(),
                Role::Dim => theme.dim(),
            };
            let text = safe(&p.text);
            let at = column;
            column += p.text.chars().count();
            let current = current.and_then(|c| c.checked_sub(at));
            mark_search(&text, style, theme, search, current)
        })
        .collect();
    Line::from(spans)
}

/// Splits a piece so search matches stand out.
fn mark_search<'a>(
    text: &str,
    style: Style,
    theme: &Theme,
    search: Option<&str>,
    current: Option<usize>,
) -> Vec<Span<'a>> {
    let Some(pattern) = search.filter(|s| !s.is_empty()) else {
        return vec![Span::styled(text.to_string(), style)];
    };
    let lower = text.to_lowercase();
    let needle = pattern.to_lowercase();
    // Lower-casing can change byte lengths; mark only when it did not.
    if lower.len() != text.len() {
        return vec![Span::styled(text.to_string(), style)];
    }
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find(&needle) {
        let start = from + at;
        let end = start + needle.len();
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            break;
        }
        spans.push(Span::styled(text[from..start].to_string(), style));
        let matched = if current == Some(text[..start].chars().count()) {
            theme.matched().add_modifier(Modifier::REVERSED)
        } else {
            theme.matched()
        };
        spans.push(Span::styled(text[start..end].to_string(), matched));
        from = end;
    }
    spans.push(Span::styled(text[from..].to_string(), style));
    spans
}

/// Spans cut to `width` cells, the last kept cell an ellipsis when anything is cut.
fn fit(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let total: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    if total <= width {
        return spans;
    }
    let mut room = width.saturating_sub(1);
    let mut out = Vec::new();
    for span in spans {
        if room == 0 {
            break;
        }
        let len = span.content.chars().count();
        if len <= room {
            room -= len;
            out.push(span);
        } else {
            let cut: String = span.content.chars().take(room).collect();
            out.push(Span::styled(cut, span.style));
            room = 0;
        }
    }
    out.push(Span::raw("…"));
    out
}
