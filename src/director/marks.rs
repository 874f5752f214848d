//! Finds the semantic-prompt marks (`OSC 133`) a shell pane's bash prints
//! around its prompt: `D;STATUS` when a command has finished, `B` at the
//! end of the prompt, when bash is ready to read the next line, and `C`
//! when it starts the command read. They tell
//! director that a command ended, with what status, and when typing may
//! begin. The marks stay in the byte stream: the pane's emulator ignores OSC
//! sequences it does not know.
//!
//! In: a shell pane's output, read by read. Out: the marks completed, in
//! order.

const START: &[u8] = b"\x1b]133;";
/// A mark longer than this is not one of ours.
const MAX_MARK: usize = START.len() + 24;

/// A mark found in a shell's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// `D;STATUS`: the last command finished with STATUS.
    CommandDone(i32),
    /// `B`: the prompt is drawn; input is read from here.
    PromptEnd,
    /// `C`: bash has read a command line and starts running it.
    CommandStart,
}

/// Scans a byte stream for marks, across read boundaries.
#[derive(Debug, Default)]
pub struct PromptMarks {
    /// The start of a possible mark cut off by the end of the last read.
    carry: Vec<u8>,
}

impl PromptMarks {
    /// Returns the marks completed in `bytes`, in order.
    pub fn scan(&mut self, bytes: &[u8]) -> Vec<Mark> {
        let mut marks = Vec::new();
        let joined;
        let data: &[u8] = if self.carry.is_empty() {
            bytes
        } else {
            let mut v = std::mem::take(&mut self.carry);
            v.extend_from_slice(bytes);
            joined = v;
            &joined
        };
        let mut i = 0;
        while let Some(found) = data[i..].iter().position(|b| *b == 0x1b) {
            let at = i + found;
            let rest = &data[at..];
            let prefix = rest.len().min(START.len());
            if rest[..prefix] != START[..prefix] {
                i = at + 1;
                continue;
            }
            // The body runs to BEL or ST (ESC \).
            let body = &rest[prefix..];
            let end = body.iter().position(|b| *b == 0x07 || *b == 0x1b);
            match end {
                Some(n) if prefix == START.len() && (body[n] == 0x07 || body.get(n + 1) == Some(&b'\\')) => {
                    marks.extend(parse(&body[..n]));
                    i = at + prefix + n + if body[n] == 0x07 { 1 } else { 2 };
                }
                // Cut off by the end of this read: keep it for the next.
                Some(n) if body[n] == 0x1b && body.len() == n + 1 && rest.len() < MAX_MARK => {
                    self.carry = rest.to_vec();
                    break;
                }
                None if rest.len() < MAX_MARK => {
                    self.carry = rest.to_vec();
                    break;
                }
                _ => i = at + 1,
            }
        }
        marks
    }
}

/// The mark bash prints as a command starts (the pane's `PS0`).
pub const COMMAND_START: &[u8] = b"\x1b]133;C\x07";
/// The start of the mark bash prints when its command has ended.
const COMMAND_DONE: &[u8] = b"\x1b]133;D";

/// A read cut where its marks stand, so that each mark takes effect at its
/// place and where a read ends never changes the time of what is in it:
/// after a command's start mark (what follows is the command's first
/// output), and before its end mark (what precedes is the command's last).
/// Each part is a range of `bytes` and the marks completed in it.
pub fn parts(bytes: &[u8], marks: Vec<Mark>) -> Vec<(std::ops::Range<usize>, Vec<Mark>)> {
    let mut parts = Vec::new();
    let (mut from, mut marks) = (0, marks);
    if let Some(k) = marks.iter().position(|m| *m == Mark::CommandStart)
        && let Some(end) = memchr::memmem::find(bytes, COMMAND_START).map(|at| at + COMMAND_START.len())
        && end < bytes.len()
    {
        let after = marks.split_off(k + 1);
        parts.push((0..end, std::mem::replace(&mut marks, after)));
        from = end;
    }
    if marks.iter().any(|m| matches!(m, Mark::CommandDone(_)))
        && let Some(at) = memchr::memmem::find(&bytes[from..], COMMAND_DONE).map(|at| from + at)
        && at > from
    {
        parts.push((from..at, Vec::new()));
        from = at;
    }
    parts.push((from..bytes.len(), marks));
    parts
}

fn parse(body: &[u8]) -> Option<Mark> {
    let text = std::str::from_utf8(body).ok()?;
    match text.split_once(';') {
        Some(("D", status)) => status.parse().ok().map(Mark::CommandDone),
        None if text == "B" => Some(Mark::PromptEnd),
        None if text == "C" => Some(Mark::CommandStart),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Mark::*;

    #[test]
    fn finds_marks_whole_and_split_at_every_byte() {
        let stream = b"out\r\n\x1b]133;D;0\x07$ \x1b]133;B\x07ls\r\n\x1b]133;C\x07x\x1b[1m\x1b]133;D;127\x1b\\$ \x1b]0;title\x07\x1b]133;B\x1b\\";
        let want = [CommandDone(0), PromptEnd, CommandStart, CommandDone(127), PromptEnd];
        let mut whole = PromptMarks::default();
        assert_eq!(whole.scan(stream), want);
        for cut in 0..stream.len() {
            let mut m = PromptMarks::default();
            let mut got = m.scan(&stream[..cut]);
            got.extend(m.scan(&stream[cut..]));
            assert_eq!(got, want, "cut at {cut}");
        }
    }

    #[test]
    fn a_read_is_cut_where_its_marks_stand() {
        let cut = |bytes: &[u8]| {
            let marks = PromptMarks::default().scan(bytes);
            parts(bytes, marks)
                .into_iter()
                .map(|(range, marks)| (String::from_utf8_lossy(&bytes[range]).into_owned(), marks))
                .collect::<Vec<_>>()
        };
        // Enter's echo and the start mark, then the command's first output.
        assert_eq!(
            cut(b"\r\n\x1b]133;C\x07hello"),
            [
                ("\r\n\x1b]133;C\x07".to_string(), vec![Mark::CommandStart]),
                ("hello".to_string(), vec![])
            ]
        );
        // The command's last output, then its end and the prompt.
        assert_eq!(
            cut(b"done\r\n\x1b]133;D;0\x07$ \x1b]133;B\x07"),
            [
                ("done\r\n".to_string(), vec![]),
                (
                    "\x1b]133;D;0\x07$ \x1b]133;B\x07".to_string(),
                    vec![Mark::CommandDone(0), Mark::PromptEnd]
                )
            ]
        );
        // A command over within one read: start, output, end.
        let all = cut(b"\x1b]133;C\x07x\x1b]133;D;1\x07");
        assert_eq!(
            all.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
            ["\x1b]133;C\x07", "x", "\x1b]133;D;1\x07"]
        );
        // A read with no mark, or nothing around its mark, stays whole.
        assert_eq!(cut(b"plain").len(), 1);
        assert_eq!(cut(b"\x1b]133;D;0\x07").len(), 1);
    }

    #[test]
    fn ignores_lookalikes() {
        let mut m = PromptMarks::default();
        assert!(
            m.scan(b"\x1b]133;A\x07\x1b]133;D;x\x07\x1b]133;D;99999999999999999999\x07\x1b]1337;B\x07")
                .is_empty()
        );
        assert_eq!(m.scan(b"\x1b]133;D;1\x07"), [CommandDone(1)]);
    }
}
