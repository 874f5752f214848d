//! What a failure message quotes from a pane: its last lines, and what a
//! failed command said last.

use super::Pane;
use crate::geometry::Size;

impl Pane<'_> {
    /// The pane's last few non-empty lines, to show with an error.
    pub fn last_lines(&self) -> String {
        let contents = self.term.screen().contents();
        let lines: Vec<&str> = contents.lines().map(str::trim_end).filter(|l| !l.is_empty()).collect();
        let tail = &lines[lines.len().saturating_sub(5)..];
        if tail.is_empty() {
            return String::new();
        }
        format!(
            "\n  the pane shows:\n{}",
            tail.iter().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
        )
    }

    /// What a failed command said last (`said`, as a terminal `cols` wide
    /// shows it), cut to fit a message's first line: its last line that
    /// reads like a complaint (`error: cannot listen …`, not the `caused
    /// by` under it), else its last line. Prompt lines and the terminal's
    /// echo of Ctrl-C (`^C`) are not its words.
    pub fn last_output_line(&self, said: &[u8], cols: u16) -> Option<String> {
        const MAX: usize = 120;
        const COMPLAINTS: &[&str] = &[
            "error",
            "fail",
            "panic",
            "cannot",
            "can't",
            "unable",
            "denied",
            "not found",
            "no such",
            "refused",
            "invalid",
        ];
        let prompt = self.spec.prompt.trim_end();
        let mut term = crate::screen::emulator::parser(Size::new(cols, 16));
        term.process(said);
        let contents = term.screen().contents();
        let echo = |l: &str| l.len().is_multiple_of(2) && l.as_bytes().chunks(2).all(|c| c[0] == b'^');
        let lines: Vec<&str> = contents
            .lines()
            .map(str::trim_end)
            .filter(|l| {
                let t = l.trim_start();
                !t.is_empty() && !echo(t) && (prompt.is_empty() || !t.starts_with(prompt))
            })
            .collect();
        let complains = |l: &str| {
            let lower = l.to_lowercase();
            COMPLAINTS.iter().any(|w| lower.contains(w))
        };
        // An indented line continues the one above (a cause, a trace).
        let indented = |l: &str| l.starts_with(char::is_whitespace);
        let line = lines
            .iter()
            .rev()
            .find(|l| complains(l) && !indented(l))
            .or_else(|| lines.iter().rev().find(|l| complains(l)))
            .or(lines.last())?
            .trim_start();
        Some(match line.char_indices().nth(MAX) {
            Some((cut, _)) => format!("{}…", &line[..cut]),
            None => line.to_string(),
        })
    }
}
