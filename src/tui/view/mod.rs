//! Drawing: pure functions of `&App` into a ratatui frame. The table, or the reading view,
//! fills the screen above two lines (input and status); help is an overlay.

pub mod help;
pub mod preview;
pub mod reading;
pub mod status;
pub mod table;
pub mod thread;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::{App, Mode};
use crate::tui::theme::Theme;

/// The main area and the two bottom lines for a terminal of `area`.
pub fn areas(area: Rect) -> (Rect, Rect, Rect) {
    let h = area.height;
    let main = Rect::new(area.x, area.y, area.width, h.saturating_sub(2));
    let input = Rect::new(area.x, area.y + h.saturating_sub(2), area.width, h.min(1));
    let status = Rect::new(area.x, area.y + h.saturating_sub(1), area.width, h.min(1));
    (main, input, status)
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let (main, input, status) = areas(area);
    let reading = app.reading.is_some()
        && (app.mode == Mode::Reading
            || app.prompt.as_ref().is_some_and(|p| p.from == Mode::Reading)
            || app
                .help
                .as_ref()
                .is_some_and(|h| h.of_mode == Mode::Reading));
    let thread = app.thread.is_some()
        && (app.mode == Mode::Thread
            || app.prompt.as_ref().is_some_and(|p| p.from == Mode::Thread)
            || app.help.as_ref().is_some_and(|h| h.of_mode == Mode::Thread));
    if thread {
        thread::draw(frame, main, app, theme);
        if input.height > 0 && input.y != status.y {
            status::draw_input_line(frame, input, app, theme);
        }
    } else if reading {
        // The reading view uses the input line for its position line.
        let with_input = Rect::new(main.x, main.y, main.width, main.height + input.height);
        reading::draw(frame, with_input, app, theme);
        if app.prompt.is_some() {
            status::draw_input_line(frame, input, app, theme);
        }
    } else {
        if app.preview.on && main.height > 2 {
            let table = Rect::new(main.x, main.y, main.width, main.height - 1);
            table::draw(frame, table, app, theme);
            let line = Rect::new(main.x, main.y + main.height - 1, main.width, 1);
            preview::draw(frame, line, app, theme);
        } else {
            table::draw(frame, main, app, theme);
        }
        if input.height > 0 && input.y != status.y {
            status::draw_input_line(frame, input, app, theme);
        }
    }
    if status.height > 0 {
        status::draw_status(frame, status, app, theme);
    }
    if app.mode == Mode::Help {
        help::draw(frame, area, app, theme);
    }
}
