//! The reading view: the classification banner, the document (header panel and wrapped body)
//! with a scrollbar, and a line saying where the reader is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::app::App;
use crate::app::document::{self, DocLine, Hit, Role};
use crate::tui::sanitize::safe;
use crate::tui::theme::{StyleName, Theme};

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
                std::sync::Arc::new(document::layout(
                    cable,
                    width,
                    reading.reference,
                    &reading.citers,
                ))
            });
            let search = reading.search.as_deref();
            let hits = reading.hits(&lines);
            let counted = document::counted(&hits);
            let current = document::current_parts(&hits, reading.current_match);
            let visible: Vec<Line> = lines
                .iter()
                .enumerate()
                .skip(reading.scroll)
                .take(body.height as usize)
                .map(|(n, l)| {
                    let on_line: Vec<Hit> = hits.iter().filter(|h| h.line == n).copied().collect();
                    styled(
                        l,
                        theme,
                        &on_line,
                        current.iter().find(|c| c.line == n).copied(),
                    )
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
                let count = counted.len();
                let which = match reading.current_match {
                    Some(m) if m < count => format!("{}/{count}", m + 1),
                    _ => format!("{count} match{}", if count == 1 { "" } else { "es" }),
                };
                info.push(Span::raw(format!("  /{} {which}", safe(s))));
            } else if reading.text_query.is_some() {
                let count = counted.len();
                let which = match reading.current_match {
                    Some(m) if m < count => format!("text hit {}/{count}", m + 1),
                    _ => format!("{count} text hit{}", if count == 1 { "" } else { "s" }),
                };
                info.push(Span::raw(format!("  {which}")));
            }
            if let Some(c) = reading
                .reference
                .checked_sub(cable.references.len())
                .and_then(|i| reading.citers.get(i))
            {
                info.push(Span::raw(format!(
                    "  cited by {}/{} ▸ {}",
                    reading.reference - cable.references.len() + 1,
                    reading.citers.len(),
                    safe(c)
                )));
            } else if let Some(r) = cable.references.get(reading.reference) {
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

/// A document line in its styles, matches marked; the match `n` is at stands out more.
fn styled<'a>(line: &DocLine, theme: &Theme, hits: &[Hit], current: Option<Hit>) -> Line<'a> {
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
            let at = column;
            column += p.text.chars().count();
            mark_hits(&p.text, at, style, theme, hits, current)
        })
        .collect();
    Line::from(spans)
}

/// Splits a piece starting at column `at` so the hits on it stand out.
fn mark_hits<'a>(
    text: &str,
    at: usize,
    style: Style,
    theme: &Theme,
    hits: &[Hit],
    current: Option<Hit>,
) -> Vec<Span<'a>> {
    let chars: Vec<char> = text.chars().collect();
    let piece = |from: usize, to: usize| -> String {
        safe(&chars[from..to].iter().collect::<String>()).into_owned()
    };
    let mut spans = Vec::new();
    let mut from = 0;
    for hit in hits {
        let start = hit.start.saturating_sub(at).min(chars.len());
        let end = hit.end.saturating_sub(at).min(chars.len());
        if end <= start || start < from {
            continue;
        }
        spans.push(Span::styled(piece(from, start), style));
        let marked = if current == Some(*hit) {
            theme.style(StyleName::CurrentMatch)
        } else {
            theme.matched()
        };
        spans.push(Span::styled(piece(start, end), marked));
        from = end;
    }
    spans.push(Span::styled(piece(from, chars.len()), style));
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
