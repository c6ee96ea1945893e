//! A drawn screen as an SVG picture, for the screenshots in the README: every cell of a
//! ratatui buffer becomes a background rectangle and a glyph in a monospaced font, with the
//! terminal's named colours mapped to a dark or a light palette.

use std::fmt::Write;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 17.0;

/// The terminal's colours the picture is drawn with: what the named ANSI colours look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub background: &'static str,
    pub foreground: &'static str,
    /// Black, red, green, yellow, blue, magenta, cyan, gray, then their bright forms
    /// (dark gray, light red, … white), in ANSI order.
    pub ansi: [&'static str; 16],
}

impl Palette {
    /// gruvbox dark.
    pub const DARK: Palette = Palette {
        background: "#1d2021",
        foreground: "#d5c4a1",
        ansi: [
            "#282828", "#fb4934", "#b8bb26", "#fabd2f", "#83a5ff", "#d3869b", "#8ec07c", "#a89984",
            "#665c54", "#fe8019", "#d9e36b", "#ffe680", "#a5c4ff", "#f0a6c0", "#a9e0c0", "#fbf1c7",
        ],
    };

    /// Tango (GNOME Terminal's) on a light background.
    pub const LIGHT: Palette = Palette {
        background: "#fafafa",
        foreground: "#2e3436",
        ansi: [
            "#2e3436", "#cc0000", "#4e9a06", "#c4a000", "#3465a4", "#75507b", "#06989a", "#d3d7cf",
            "#555753", "#ef2929", "#8ae234", "#fce94f", "#729fcf", "#ad7fa8", "#34e2e2", "#eeeeec",
        ],
    };

    fn rgb(&self, color: Color, fallback: &'static str) -> String {
        let index = match color {
            Color::Reset => return fallback.to_string(),
            Color::Black => 0,
            Color::Red => 1,
            Color::Green => 2,
            Color::Yellow => 3,
            Color::Blue => 4,
            Color::Magenta => 5,
            Color::Cyan => 6,
            Color::Gray => 7,
            Color::DarkGray => 8,
            Color::LightRed => 9,
            Color::LightGreen => 10,
            Color::LightYellow => 11,
            Color::LightBlue => 12,
            Color::LightMagenta => 13,
            Color::LightCyan => 14,
            Color::White => 15,
            Color::Rgb(r, g, b) => return format!("#{r:02x}{g:02x}{b:02x}"),
            Color::Indexed(i) if i < 16 => i as usize,
            Color::Indexed(_) => return fallback.to_string(),
        };
        self.ansi[index].to_string()
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The buffer as an SVG document, in the colours of `palette`.
pub fn to_svg(buffer: &Buffer, palette: &Palette) -> String {
    let (background, foreground) = (palette.background, palette.foreground);
    let area = buffer.area;
    let (w, h) = (area.width as f32 * CELL_W, area.height as f32 * CELL_H);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.1} {h:.1}">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" fill="{background}"/>"#
    );
    let _ = writeln!(
        out,
        r#"<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14px" xml:space="preserve">"#
    );
    for y in 0..area.height {
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (mut fg, mut bg) = (
                palette.rgb(cell.fg, foreground),
                palette.rgb(cell.bg, background),
            );
            if reversed {
                std::mem::swap(&mut fg, &mut bg);
            }
            let (px, py) = (x as f32 * CELL_W, y as f32 * CELL_H);
            if bg != background {
                let _ = writeln!(
                    out,
                    r#"<rect x="{px:.1}" y="{py:.1}" width="{CELL_W:.1}" height="{CELL_H:.1}" fill="{bg}"/>"#
                );
            }
            let symbol = cell.symbol();
            if symbol.trim().is_empty() {
                continue;
            }
            let mut attrs = String::new();
            if cell.modifier.contains(Modifier::BOLD) {
                attrs.push_str(r#" font-weight="bold""#);
            }
            if cell.modifier.contains(Modifier::DIM) {
                attrs.push_str(r#" opacity="0.6""#);
            }
            if cell.modifier.contains(Modifier::UNDERLINED) {
                attrs.push_str(r#" text-decoration="underline""#);
            }
            let _ = writeln!(
                out,
                r#"<text x="{px:.1}" y="{:.1}" fill="{fg}"{attrs}>{}</text>"#,
                py + CELL_H * 0.78,
                escape(symbol)
            );
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn cells_become_rects_and_text() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 3, 1));
        buffer.set_string(
            0,
            0,
            "<a",
            Style::default()
                .fg(Color::Red)
                .add_modifier(Modifier::REVERSED),
        );
        let svg = to_svg(&buffer, &Palette::DARK);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("&lt;"));
        assert!(
            svg.contains(r##"fill="#fb4934""##),
            "reversed red becomes the background"
        );
        assert!(svg.trim_end().ends_with("</svg>"));
        let light = to_svg(&buffer, &Palette::LIGHT);
        assert!(light.contains(r##"<rect width="100%" height="100%" fill="#fafafa"/>"##));
        assert!(light.contains(r##"fill="#cc0000""##), "{light}");
    }
}
