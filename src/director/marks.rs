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
    fn ignores_lookalikes() {
        let mut m = PromptMarks::default();
        assert!(
            m.scan(b"\x1b]133;A\x07\x1b]133;D;x\x07\x1b]133;D;99999999999999999999\x07\x1b]1337;B\x07")
                .is_empty()
        );
        assert_eq!(m.scan(b"\x1b]133;D;1\x07"), [CommandDone(1)]);
    }
}
