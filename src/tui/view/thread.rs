//! The thread view: the conversation of one cable as a tree, one line a cable.
//!
//! `├─`, `└─` and `│` draw the branches (`|-`, `` `- `` and `|` where the terminal's locale
//! is not UTF-8 or the setting asks for ASCII) in front of the subject, after the fixed
//! columns: date, precedence, id, origin (where there is room) and disposition; the cable the view was opened for is marked `◆` (`*`),
//! a cited cable not in the corpus is a `?` line, and what the caps cut is a `…` line with
//! its count.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::table::{disposition_short, fit, origin_text};
use crate::app::App;
use crate::app::thread::ThreadView;
use crate::corpus::graph::tree::MAX_LINES;
use crate::corpus::graph::{More, TreeItem, TreeLine};
use crate::tui::sanitize::safe;
use crate::tui::theme::Theme;

/// Branch glyphs: a middle child, the last child, a rail going on, and none.
struct Glyphs {
    branch: &'static str,
    last: &'static str,
    rail: &'static str,
    blank: &'static str,
    focus: &'static str,
    /// Between the title's parts, and before a cut's count.
    separator: &'static str,
    more: &'static str,
    /// Before the cursor line's id in the title.
    focus_cursor: &'static str,
}

const UNICODE: Glyphs = Glyphs {
    branch: "├─ ",
    last: "└─ ",
    rail: "│  ",
    blank: "   ",
    focus: "◆ ",
    separator: " · ",
    more: "… ",
    focus_cursor: "▸ ",
};

const ASCII: Glyphs = Glyphs {
    branch: "|- ",
    last: "`- ",
    rail: "|  ",
    blank: "   ",
    focus: "* ",
    separator: " - ",
    more: "... ",
    focus_cursor: "> ",
};

/// From this width on, lines show the id (below it the title shows the cursor line's).
const WITH_ID: usize = 120;
/// From this width on, lines show the origin.
const WITH_ORIGIN: usize = 70;
/// From this width on, lines show the disposition column even when no cable has one.
const WIDE: usize = 100;

/// The fixed columns before the tree, by the width. Date, precedence, origin and
/// disposition are what a node shows; the id, the handle analysts quote, comes where there is
/// room, and the cursor line's is in the title otherwise. An empty disposition column (no
/// cable of the tree has one) gives its room to the subjects on a narrow screen.
#[derive(Clone, Copy)]
struct Columns {
    id: bool,
    origin: usize,
    disposition: bool,
}

impl Columns {
    fn for_view(app: &App, view: &ThreadView, width: usize) -> Columns {
        let disposed = view.tree.cables().any(|e| {
            app.corpus.get(e).is_some_and(|c| {
                app.triage.disposition(&c.id) != crate::store::Disposition::Untriaged
            })
        });
        Columns {
            id: width >= WITH_ID,
            origin: match width {
                w if w >= WITH_ID => 14,
                w if w >= WITH_ORIGIN => 12,
                _ => 0,
            },
            disposition: width >= WIDE || disposed,
        }
    }

    /// Cells of every fixed column: date, precedence, id, origin, disposition.
    fn width(self) -> usize {
        11 + 6
            + usize::from(self.id) * 19
            + if self.origin > 0 { self.origin + 1 } else { 0 }
            + usize::from(self.disposition) * 7
    }
}

/// Levels drawn in full; deeper lines keep the indent of this level, so a long chain never
/// pushes its subjects off a narrow screen.
const MAX_INDENT: usize = 10;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(view) = app.thread.as_ref() else {
        return;
    };
    if area.height == 0 {
        return;
    }
    let glyphs = if app.ascii_tree { &ASCII } else { &UNICODE };
    let title = Rect::new(area.x, area.y, area.width, 1);
    frame.render_widget(
        Paragraph::new(title_line(app, view, glyphs, area.width as usize, theme)),
        title,
    );
    let body = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(1),
    );
    let width = body.width as usize;
    let drawing = Drawing {
        app,
        view,
        glyphs,
        columns: Columns::for_view(app, view, width),
        width,
        theme,
    };
    let lines: Vec<Line> = view
        .tree
        .lines
        .iter()
        .enumerate()
        .skip(view.offset)
        .take(body.height as usize)
        .map(|(i, line)| {
            let mut drawn = tree_line(&drawing, i, line);
            if i == view.cursor {
                drawn = drawn.patch_style(theme.cursor_row());
            }
            drawn
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}

/// `Thread of 08MOSCOW123 · 34 cables · 3 not in this corpus`.
fn title_line(
    app: &App,
    view: &ThreadView,
    glyphs: &Glyphs,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let sep = glyphs.separator;
    let id = app.corpus.get(view.focus).map_or("", |e| &e.id);
    let cables = view.tree.cables().count();
    let missing = view
        .tree
        .lines
        .iter()
        .filter(|l| matches!(l.item, TreeItem::Missing(_)))
        .count();
    let mut spans = vec![
        Span::styled(" Thread of ", theme.dim()),
        Span::styled(safe(id).into_owned(), theme.heading()),
        Span::styled(
            format!("{sep}{cables} cable{}", if cables == 1 { "" } else { "s" }),
            theme.dim(),
        ),
    ];
    if missing > 0 {
        spans.push(Span::styled(
            format!("{sep}{missing} not in this corpus"),
            theme.dim(),
        ));
    }
    if width < WITH_ID
        && let Some(cursor) = view.current().and_then(|e| app.corpus.get(e))
    {
        spans.push(Span::styled(sep.to_string(), theme.dim()));
        spans.push(Span::styled(
            format!("{}{}", glyphs.focus_cursor, safe(&cursor.id)),
            theme.label(),
        ));
    }
    if view.tree.capped {
        spans.push(Span::styled(
            format!("{sep}stops at {MAX_LINES} cables: each cut says what it leaves out"),
            theme.dim(),
        ));
    }
    Line::from(spans)
}

/// What every line of one frame is drawn with.
struct Drawing<'a> {
    app: &'a App,
    view: &'a ThreadView,
    glyphs: &'a Glyphs,
    columns: Columns,
    width: usize,
    theme: &'a Theme,
}

fn tree_line(d: &Drawing, at: usize, line: &TreeLine) -> Line<'static> {
    let Drawing {
        app,
        view,
        glyphs,
        columns,
        width,
        theme,
    } = *d;
    // Fixed columns first, as in the table, so they line up whatever the depth; the tree is
    // drawn in front of the subject, as mail clients draw threads.
    let mut cells = Cells {
        used: 0,
        spans: Vec::new(),
        width,
    };
    let mut tree = String::new();
    for (level, &rail) in line.rails.iter().enumerate().skip(1) {
        if level <= MAX_INDENT {
            tree.push_str(if rail { glyphs.rail } else { glyphs.blank });
        }
    }
    if line.depth > 0 {
        tree.push_str(if line.last {
            glyphs.last
        } else {
            glyphs.branch
        });
    }
    let blank = |cells: &mut Cells, n: usize| cells.push(" ".repeat(n), theme.dim());
    match &line.item {
        TreeItem::Cable(e) => {
            let Some(entry) = app.corpus.get(*e) else {
                return Line::from(cells.spans);
            };
            let date = entry.datetime().map_or_else(
                || "----------".to_string(),
                |d| d.format("%Y-%m-%d").to_string(),
            );
            cells.push(format!("{date} "), theme.dim());
            cells.push(
                format!("{:<5} ", entry.precedence.short()),
                theme.precedence(entry.precedence),
            );
            if columns.id {
                cells.push(format!("{:<18} ", fit(&safe(&entry.id), 18)), theme.label());
            }
            if columns.origin > 0 {
                let n = columns.origin;
                cells.push(
                    format!("{:<n$} ", origin_text(&entry.origin, n)),
                    theme.label(),
                );
            }
            if columns.disposition {
                let d = app.triage.disposition(&entry.id);
                cells.push(
                    format!("{:<6} ", disposition_short(d)),
                    theme.disposition(d),
                );
            }
            cells.push(tree, theme.dim());
            let focus = at == view.tree.focus;
            if focus {
                cells.push(glyphs.focus.to_string(), theme.heading());
            }
            let subject_style = if focus {
                theme.heading()
            } else {
                ratatui::style::Style::default()
            };
            cells.push(safe(&entry.subject).into_owned(), subject_style);
        }
        TreeItem::Missing(id) => {
            blank(&mut cells, 11);
            cells.push("?     ".to_string(), theme.error());
            blank(&mut cells, columns.width() - 17);
            cells.push(tree, theme.dim());
            cells.push(
                format!("{} ", safe(id)),
                theme.label().add_modifier(Modifier::DIM),
            );
            cells.push("not in this corpus".to_string(), theme.dim());
        }
        TreeItem::More(more) => {
            let text = match *more {
                More::Citers(n) => format!(
                    "{}{n} more citer{}",
                    glyphs.more,
                    if n == 1 { "" } else { "s" }
                ),
                More::Earlier(n) => format!(
                    "{}{n} earlier cable{} cited",
                    glyphs.more,
                    if n == 1 { "" } else { "s" }
                ),
            };
            blank(&mut cells, columns.width());
            cells.push(tree, theme.dim());
            cells.push(text, theme.dim());
        }
    }
    Line::from(cells.spans)
}

/// A line filled left to right, each piece cut to the room left.
struct Cells {
    spans: Vec<Span<'static>>,
    used: usize,
    width: usize,
}

impl Cells {
    fn push(&mut self, text: String, style: ratatui::style::Style) {
        let room = self.width.saturating_sub(self.used);
        if room == 0 {
            return;
        }
        let text = fit(&text, room);
        self.used += text.chars().count();
        self.spans.push(Span::styled(text, style));
    }
}
