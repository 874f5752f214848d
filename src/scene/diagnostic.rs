//! Scene errors that point at the line: file, line, column, the source line
//! and a caret under the offending text.

use std::fmt;
use std::ops::Range;

/// One problem found in a scene file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    /// Byte range in the source; empty when the problem has no place.
    pub span: Range<usize>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        Self {
            message: message.into(),
            span,
        }
    }
}

/// Every problem found in one pass over a scene file.
#[derive(Debug, Clone, thiserror::Error)]
pub struct SceneError {
    pub file: String,
    pub source_text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for SceneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = &self.source_text;
        for (n, d) in self.diagnostics.iter().enumerate() {
            if n > 0 {
                writeln!(f, "\n")?;
            }
            // A problem at the very end (a missing table, an unterminated
            // value) is shown at the end of the last line, not on a line
            // that does not exist.
            let end_of_text = text.trim_end_matches(['\n', '\r']).len();
            let start = floor_char_boundary(text, d.span.start.min(end_of_text));
            let end = floor_char_boundary(text, d.span.end.clamp(start, text.len()));
            let (line, col) = line_col(text, start);
            let src = text.lines().nth(line - 1).unwrap_or("");
            let line_start = start - (col_bytes(src, col - 1));
            let gutter = " ".repeat(line.to_string().len());
            writeln!(f, "error: {}", d.message)?;
            writeln!(f, "{gutter}--> {}:{line}:{col}", self.file)?;
            // Tabs are shown as four spaces and the caret is placed by
            // display width, so it sits under the token in a terminal.
            let shown = |s: &str| s.replace('\t', "    ");
            let indent = width(&shown(&text[line_start..start]));
            let marked = text[start..end].lines().next().unwrap_or("");
            let carets = width(&shown(marked)).max(1);
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{line} | {}", shown(src))?;
            write!(f, "{gutter} | {}{}", " ".repeat(indent), "^".repeat(carets))?;
        }
        if self.diagnostics.len() > 1 {
            write!(f, "\n\n{} errors in {}", self.diagnostics.len(), self.file)?;
        }
        Ok(())
    }
}

/// Bytes taken by the first `chars` characters of `line`.
fn col_bytes(line: &str, chars: usize) -> usize {
    line.char_indices().nth(chars).map_or(line.len(), |(i, _)| i)
}

fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(source: &str, token: &str) -> String {
        let start = source.find(token).unwrap();
        SceneError {
            file: "t.toml".into(),
            source_text: source.into(),
            diagnostics: vec![Diagnostic::new("bad", start..start + token.len())],
        }
        .to_string()
    }

    #[test]
    fn carets_sit_under_the_token_after_tabs_and_wide_characters() {
        let out = render("\tpane = \"x\"\n", "\"x\"");
        assert!(out.ends_with("1 |     pane = \"x\"\n  |            ^^^"), "{out}");
        let out = render("title = \"日本\" # x = y\n", "x = y");
        assert!(
            out.ends_with("1 | title = \"日本\" # x = y\n  |                  ^^^^^"),
            "{out}"
        );
    }

    #[test]
    fn a_problem_at_the_end_shows_the_last_line() {
        let source = "[terminal]\ncols = 80\n\n";
        let e = SceneError {
            file: "t.toml".into(),
            source_text: source.into(),
            diagnostics: vec![Diagnostic::new("no panes", source.len()..source.len())],
        };
        assert!(
            e.to_string()
                .contains(" --> t.toml:2:10\n  |\n2 | cols = 80\n  |          ^"),
            "{e}"
        );
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, text.find('=').unwrap()), (1, 3));
        assert_eq!(line_col(text, text.find('"').unwrap()), (2, 6));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn renders_source_line_and_caret() {
        let source_text = "[[step]]\npane = \"srever\"\n".to_string();
        let start = source_text.find("\"srever\"").unwrap();
        let e = SceneError {
            file: "demo.toml".into(),
            source_text,
            diagnostics: vec![Diagnostic::new("unknown pane \"srever\"", start..start + 8)],
        };
        assert_eq!(
            e.to_string(),
            "error: unknown pane \"srever\"\n --> demo.toml:2:8\n  |\n2 | pane = \"srever\"\n  |        ^^^^^^^^"
        );
    }
}
