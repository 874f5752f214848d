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
        for (n, d) in self.diagnostics.iter().enumerate() {
            if n > 0 {
                writeln!(f, "\n")?;
            }
            let (line, col) = line_col(&self.source_text, d.span.start);
            writeln!(f, "error: {}", d.message)?;
            writeln!(f, "  --> {}:{line}:{col}", self.file)?;
            let src = self.source_text.lines().nth(line - 1).unwrap_or("");
            let gutter = " ".repeat(line.to_string().len());
            let start = floor_char_boundary(&self.source_text, d.span.start.min(self.source_text.len()));
            let end = floor_char_boundary(&self.source_text, d.span.end.min(self.source_text.len()));
            let width = self.source_text[start..end.max(start)]
                .lines()
                .next()
                .map_or(1, |s| s.chars().count().max(1));
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{line} | {src}")?;
            write!(f, "{gutter} | {}{}", " ".repeat(col - 1), "^".repeat(width))?;
        }
        if self.diagnostics.len() > 1 {
            write!(f, "\n\n{} errors in {}", self.diagnostics.len(), self.file)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "error: unknown pane \"srever\"\n  --> demo.toml:2:8\n  |\n2 | pane = \"srever\"\n  |        ^^^^^^^^"
        );
    }
}
