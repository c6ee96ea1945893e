//! The preview line under the table: a snippet of the cursor's cable, one line, with the
//! hits of the filter's text terms highlighted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::text_search::TextStorage;
use crate::corpus::query::Query;
use crate::search::snippet;
use crate::tui::sanitize::safe;
use crate::tui::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    if area.height == 0 || area.width < 4 {
        return;
    }
    let lead = Span::styled("› ", theme.key());
    let room = area.width as usize - 2;
    let Some(entry) = app.table.current() else {
        frame.render_widget(Line::from(lead), area);
        return;
    };
    let spans = match app.preview.text(entry) {
        // Texts are read through the text index's copy of the corpus.
        None if app.text.storage == TextStorage::Off => {
            vec![
                lead,
                Span::styled("no preview: text search is off", theme.dim()),
            ]
        }
        None => vec![lead, Span::styled("reading…", theme.dim())],
        Some(Err(e)) => vec![lead, Span::styled(safe(e).into_owned(), theme.error())],
        Some(Ok(text)) => {
            let empty = Query::default();
            let query = if app.filter.is_active() {
                &*app.filter.query
            } else {
                &empty
            };
            let found = snippet(query, &text.body, room);
            let mut spans = vec![lead];
            let mut at = 0;
            for hit in &found.hits {
                let (start, end) = (hit.start.max(at), hit.end.min(found.text.len()));
                if start >= end
                    || !found.text.is_char_boundary(start)
                    || !found.text.is_char_boundary(end)
                {
                    continue;
                }
                spans.push(Span::styled(
                    safe(&found.text[at..start]).into_owned(),
                    theme.dim(),
                ));
                spans.push(Span::styled(
                    safe(&found.text[start..end]).into_owned(),
                    theme.matched(),
                ));
                at = end;
            }
            spans.push(Span::styled(
                safe(&found.text[at..]).into_owned(),
                theme.dim(),
            ));
            spans
        }
    };
    frame.render_widget(Line::from(spans), area);
}
