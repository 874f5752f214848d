//! Scene errors that point at the line: file, line, column, the source line
//! and a caret under the offending text.
//!
//! In: the problems validation found, each with its byte span in the
//! source. Out: text, each problem headed by an `error:` drawn plain or in
//! colour ([`Paint`]).
//!
//! A source line wider than `MAX_SHOWN` columns (a minified JSON scene, a
//! long TOML string) is shown as a window around the error, with `…` where
//! it was cut, so one mistake cannot fill a terminal with kilobytes of text.

use std::fmt;
use std::ops::Range;

/// Display columns of a source line shown in full; a wider line is cut to
/// this many, ellipses included.
const MAX_SHOWN: usize = 100;
/// Columns of the line kept before the error in a cut line: enough to show
/// what led up to it, while leaving most of the window for what follows.
const LEAD: usize = 40;
/// Marks a cut end of a source line; one column wide.
const ELLIPSIS: char = '…';

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

/// How the `error:` that heads a message is drawn: as plain text, or in
/// bold red for a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paint {
    #[default]
    Plain,
    Coloured,
}

impl Paint {
    /// `error:` drawn with this paint.
    pub fn error(self) -> &'static str {
        match self {
            Paint::Plain => "error:",
            Paint::Coloured => "\x1b[1;31merror:\x1b[0m",
        }
    }
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

impl SceneError {
    /// The diagnostics as [`Display`](fmt::Display) shows them, each
    /// `error:` drawn with `paint`.
    pub fn painted(&self, paint: Paint) -> impl fmt::Display + '_ {
        Painted { error: self, paint }
    }
}

impl fmt::Display for SceneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.painted(Paint::Plain).fmt(f)
    }
}

/// A [`SceneError`] as shown with a [`Paint`].
struct Painted<'a> {
    error: &'a SceneError,
    paint: Paint,
}

impl fmt::Display for Painted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { error: e, paint } = self;
        let text = &e.source_text;
        for (n, d) in e.diagnostics.iter().enumerate() {
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
            let gutter = " ".repeat(line.to_string().len());
            writeln!(f, "{} {}", paint.error(), d.message)?;
            writeln!(f, "{gutter}--> {}:{line}:{col}", e.file)?;
            let marked = text[start..end].lines().next().unwrap_or("");
            let (shown, indent, carets) = excerpt(src, col_bytes(src, col - 1), marked.len());
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{line} | {shown}")?;
            write!(f, "{gutter} | {}{}", " ".repeat(indent), "^".repeat(carets))?;
        }
        if e.diagnostics.len() > 1 {
            write!(f, "\n\n{} errors in {}", e.diagnostics.len(), e.file)?;
        }
        Ok(())
    }
}

/// The source line as shown, and the caret's indent and length in display
/// columns, for a problem `len` bytes long at byte `at` of `line`.
///
/// Tabs are shown as four spaces and the caret is placed by display width,
/// so it sits under the token in a terminal. A line wider than
/// `MAX_SHOWN` is cut to a window holding the start of the problem.
fn excerpt(line: &str, at: usize, len: usize) -> (String, usize, usize) {
    let shown = |s: &str| s.replace('\t', "    ");
    // A span may run past the shown line (a `\r` before its `\n`).
    let len = len.min(line.len() - at);
    let before = shown(&line[..at]);
    let marked = shown(&line[at..at + len]);
    let text = shown(line);
    if width(&text) <= MAX_SHOWN {
        return (text, width(&before), width(&marked).max(1));
    }
    let (at, end) = (before.len(), before.len() + marked.len());
    let cut = window(&text, at);
    let mut out = String::with_capacity(MAX_SHOWN * 4);
    if cut.start > 0 {
        out.push(ELLIPSIS);
    }
    out.push_str(&text[cut.clone()]);
    if cut.end < text.len() {
        out.push(ELLIPSIS);
    }
    // Measured on the text as shown, as for a whole line, so the caret
    // lines up however the window's edges fell.
    let indent = usize::from(cut.start > 0) + width(&text[cut.start..at]);
    let carets = width(&text[at..end.min(cut.end)]).max(1);
    (out, indent, carets)
}

/// The byte range of `text` to show: at most `MAX_SHOWN - 2` columns (room
/// for an ellipsis at either end), starting up to [`LEAD`] columns before
/// byte `at`, and further left when the line ends sooner, so the window is
/// always full. `at` is always inside, or at the end of `text` with a column
/// left for the caret after it.
fn window(text: &str, at: usize) -> Range<usize> {
    use unicode_width::UnicodeWidthChar;
    let budget = MAX_SHOWN - 2;
    // (byte, column, width) of every character.
    let mut chars = Vec::with_capacity(text.len());
    let mut col = 0;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        chars.push((i, col, w));
        col += w;
    }
    let at_col = chars.iter().find(|&&(i, ..)| i >= at).map_or(col, |&(_, c, _)| c);
    let needed = col.max(at_col + 1);
    let lo = at_col.saturating_sub(LEAD).min(needed.saturating_sub(budget));
    let hi = lo + budget;
    // A wide character across an edge is left out whole; a zero-width one
    // (a combining mark) is not shown at the left edge without its base.
    let start = chars
        .iter()
        .find(|&&(i, c, w)| c >= lo && (w > 0 || i >= at))
        .map_or(at, |&(i, ..)| i);
    let end = chars
        .iter()
        .find(|&&(i, c, w)| i >= start && c + w > hi)
        .map_or(text.len(), |&(i, ..)| i);
    start..end
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

    /// The shown source line and what it shows from the caret's column on,
    /// from the last diagnostic of `out`.
    fn under_caret(out: &str) -> (&str, String) {
        let mut lines = out.lines().rev();
        let carets = lines.next().unwrap().split_once(" | ").unwrap().1;
        let shown = lines.next().unwrap().split_once(" | ").unwrap().1;
        let column = carets.len() - carets.trim_start().len();
        let mut at = 0;
        for (i, c) in shown.char_indices() {
            if at == column {
                return (shown, shown[i..].to_string());
            }
            if at > column {
                break;
            }
            at += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
        let rest = if at == column {
            ""
        } else {
            "<the caret is inside a character>"
        };
        (shown, rest.to_string())
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_problem() {
        let source = format!("title = \"{}\" oops = 1 # {}\n", "x".repeat(20_000), "y".repeat(20_000));
        let out = render(&source, "oops");
        let (shown, rest) = under_caret(&out);
        assert!(rest.starts_with("oops = 1"), "{out}");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{out}");
        assert!(width(shown) <= MAX_SHOWN, "{} columns: {out}", width(shown));
        assert!(width(shown) >= MAX_SHOWN - 1, "the window is full: {out}");
        assert!(out.ends_with("^^^^"), "{out}");
        // The line before the problem is shown for context.
        assert!(shown.contains(&format!("{}\" oops", "x".repeat(LEAD - 3))), "{out}");
        assert!(out.len() < 600, "{} bytes: {out}", out.len());
    }

    #[test]
    fn a_long_line_keeps_whichever_end_is_near_the_problem() {
        let tail = "y".repeat(500);
        let out = render(&format!("bad = 1 {tail}"), "bad");
        let (shown, rest) = under_caret(&out);
        assert!(shown.starts_with("bad = 1 yyy") && shown.ends_with('…'), "{out}");
        assert!(rest.starts_with("bad = 1"), "{out}");
        assert_eq!(width(shown), MAX_SHOWN - 1, "{out}");

        let out = render(&format!("title = \"{tail}\" bad"), "bad");
        let (shown, rest) = under_caret(&out);
        assert!(shown.starts_with('…') && shown.ends_with("\" bad"), "{out}");
        assert_eq!(width(shown), MAX_SHOWN - 1, "{out}");
        assert_eq!(rest, "bad", "{out}");
    }

    #[test]
    fn a_problem_at_the_end_of_a_long_line_has_its_caret_after_it() {
        let source = format!("[{}\n", "1, ".repeat(1000));
        let e = SceneError {
            file: "t.json".into(),
            source_text: source.clone(),
            diagnostics: vec![Diagnostic::new("unclosed", source.len()..source.len())],
        };
        let out = e.to_string();
        let (shown, rest) = under_caret(&out);
        assert!(shown.starts_with('…') && shown.ends_with("1, "), "{out}");
        assert_eq!(rest, "", "the caret is past the text: {out}");
        assert!(width(shown) < MAX_SHOWN, "{out}");
    }

    #[test]
    fn a_cut_line_keeps_whole_wide_characters_and_tabs_under_the_caret() {
        for pad in 0..4 {
            // Wide characters and tabs on both edges of the window, each
            // shift of `pad` moving the edges by one column.
            let before = format!("{}{}", " ".repeat(pad), "日\t本".repeat(40));
            let source = format!("{before}\"x\" = 1 {}", "語\t".repeat(40));
            let out = render(&source, "\"x\"");
            let (shown, rest) = under_caret(&out);
            assert!(rest.starts_with("\"x\" = 1"), "pad {pad}: {out}");
            assert!(out.ends_with(" ^^^"), "pad {pad}: {out}");
            assert!(!shown.contains('\t'), "pad {pad}: {out}");
            assert!(width(shown) <= MAX_SHOWN, "pad {pad}: {} columns: {out}", width(shown));
            assert!(
                width(shown) >= MAX_SHOWN - 3,
                "pad {pad}: {} columns: {out}",
                width(shown)
            );
        }
        // A combining mark whose base falls outside is left out with it.
        let source = format!("{}bad{}", "e\u{301}".repeat(200), "z".repeat(200));
        let out = render(&source, "bad");
        let (shown, _) = under_caret(&out);
        assert!(shown.starts_with("…e\u{301}"), "{shown}");
    }

    #[test]
    fn a_span_longer_than_the_window_is_marked_to_its_edge() {
        let source = format!("pane = \"{}\"\n", "p".repeat(5000));
        let out = render(&source, &format!("\"{}\"", "p".repeat(5000)));
        let (shown, rest) = under_caret(&out);
        assert!(rest.starts_with("\"ppp"), "{out}");
        let carets = out.lines().last().unwrap().trim_start_matches([' ', '|']);
        assert_eq!(width(shown) - "pane = ".len() - 1, carets.len(), "{out}");
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
