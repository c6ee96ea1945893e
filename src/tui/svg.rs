//! A drawn screen as an SVG picture, for the screenshots in the README: every cell of a
//! ratatui buffer becomes a background rectangle and a glyph in a monospaced font, with the
//! terminal's named colours mapped to a dark palette.

use std::fmt::Write;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 17.0;
const BACKGROUND: &str = "#1d2021";
const FOREGROUND: &str = "#d5c4a1";

fn rgb(color: Color, fallback: &str) -> String {
    let named = match color {
        Color::Reset => return fallback.to_string(),
        Color::Black => "#282828",
        Color::Red => "#fb4934",
        Color::Green => "#b8bb26",
        Color::Yellow => "#fabd2f",
        Color::Blue => "#83a5ff",
        Color::Magenta => "#d3869b",
        Color::Cyan => "#8ec07c",
        Color::Gray => "#a89984",
        Color::DarkGray => "#665c54",
        Color::LightRed => "#fe8019",
        Color::LightGreen => "#d9e36b",
        Color::LightYellow => "#ffe680",
        Color::LightBlue => "#a5c4ff",
        Color::LightMagenta => "#f0a6c0",
        Color::LightCyan => "#a9e0c0",
        Color::White => "#fbf1c7",
        Color::Rgb(r, g, b) => return format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(_) => fallback,
    };
    named.to_string()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The buffer as an SVG document.
pub fn to_svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let (w, h) = (area.width as f32 * CELL_W, area.height as f32 * CELL_H);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.1} {h:.1}">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" fill="{BACKGROUND}"/>"#
    );
    let _ = writeln!(
        out,
        r#"<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14px" xml:space="preserve">"#
    );
    for y in 0..area.height {
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (mut fg, mut bg) = (rgb(cell.fg, FOREGROUND), rgb(cell.bg, BACKGROUND));
            if reversed {
                std::mem::swap(&mut fg, &mut bg);
            }
            let (px, py) = (x as f32 * CELL_W, y as f32 * CELL_H);
            if bg != BACKGROUND {
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
        let svg = to_svg(&buffer);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("&lt;"));
        assert!(
            svg.contains(r##"fill="#fb4934""##),
            "reversed red becomes the background"
        );
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
