//! Finds the prompt marks a shell pane's bash prints before each prompt
//! (`OSC 133 ; D ; STATUS BEL`, the "command finished" mark of the
//! semantic-prompt convention), which tell director that a command ended
//! and with what status. The marks stay in the byte stream: the pane's
//! emulator ignores OSC sequences it does not know.

const START: &[u8] = b"\x1b]133;D;";
/// A mark longer than this is not one of ours.
const MAX_MARK: usize = START.len() + 12;

/// Scans a byte stream for marks, across read boundaries.
#[derive(Debug, Default)]
pub struct PromptMarks {
    /// The start of a possible mark cut off by the end of the last read.
    carry: Vec<u8>,
}

impl PromptMarks {
    /// Returns the exit statuses of the marks completed in `bytes`.
    pub fn scan(&mut self, bytes: &[u8]) -> Vec<i32> {
        let mut statuses = Vec::new();
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
        while let Some(found) = find(&data[i..], 0x1b) {
            let at = i + found;
            let rest = &data[at..];
            if rest.len() < START.len() {
                if START.starts_with(rest) {
                    self.carry = rest.to_vec();
                    break;
                }
                i = at + 1;
                continue;
            }
            if !rest.starts_with(START) {
                i = at + 1;
                continue;
            }
            let digits = &rest[START.len()..];
            let end = digits.iter().position(|b| !b.is_ascii_digit() && *b != b'-');
            match end {
                None if rest.len() < MAX_MARK => {
                    self.carry = rest.to_vec();
                    break;
                }
                Some(n)
                    if digits[n] == 0x07 || (digits[n] == 0x1b && digits.get(n + 1).is_none_or(|b| *b == b'\\')) =>
                {
                    if digits[n] == 0x1b && digits.get(n + 1).is_none() {
                        self.carry = rest.to_vec();
                        break;
                    }
                    if let Some(status) = std::str::from_utf8(&digits[..n]).ok().and_then(|s| s.parse().ok()) {
                        statuses.push(status);
                    }
                    i = at + START.len() + n + 1;
                }
                _ => i = at + 1,
            }
        }
        statuses
    }
}

fn find(haystack: &[u8], needle: u8) -> Option<usize> {
    haystack.iter().position(|b| *b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_marks_whole_and_split_at_every_byte() {
        let stream = b"out\r\n\x1b]133;D;0\x07$ ls\r\nx\x1b[1m\x1b]133;D;127\x1b\\$ \x1b]0;title\x07";
        let mut whole = PromptMarks::default();
        assert_eq!(whole.scan(stream), [0, 127]);
        for cut in 0..stream.len() {
            let mut m = PromptMarks::default();
            let mut got = m.scan(&stream[..cut]);
            got.extend(m.scan(&stream[cut..]));
            assert_eq!(got, [0, 127], "cut at {cut}");
        }
    }

    #[test]
    fn ignores_lookalikes() {
        let mut m = PromptMarks::default();
        assert!(
            m.scan(b"\x1b]133;A\x07\x1b]133;D;x\x07\x1b]133;D;99999999999999999999\x07")
                .is_empty()
        );
        assert_eq!(m.scan(b"\x1b]133;D;1\x07"), [1]);
    }
}
