//! Named keys: a scene's key names (`Enter`, `Ctrl-C`, `Up`) in, [`Key`]s
//! out, and from a key the bytes a terminal sends for it.

/// A key a scene can press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Tab,
    Backspace,
    Escape,
    Up,
    Down,
    Right,
    Left,
    Home,
    End,
    PageUp,
    PageDown,
    Delete,
    /// Ctrl with a letter (`a`–`z`) or one of `@[\]^_`.
    Ctrl(char),
}

impl std::fmt::Display for Key {
    /// The key as a screencast shows it: `Ctrl-C`, `Esc`, `Up`, `a`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Char(' ') => f.write_str("Space"),
            Key::Char(c) => write!(f, "{c}"),
            Key::Ctrl(c) => write!(f, "Ctrl-{}", c.to_ascii_uppercase()),
            Key::Escape => f.write_str("Esc"),
            other => write!(f, "{other:?}"),
        }
    }
}

const NAMES: &[(&str, Key)] = &[
    ("enter", Key::Enter),
    ("return", Key::Enter),
    ("tab", Key::Tab),
    ("backspace", Key::Backspace),
    ("esc", Key::Escape),
    ("escape", Key::Escape),
    ("up", Key::Up),
    ("down", Key::Down),
    ("right", Key::Right),
    ("left", Key::Left),
    ("home", Key::Home),
    ("end", Key::End),
    ("pageup", Key::PageUp),
    ("pagedown", Key::PageDown),
    ("delete", Key::Delete),
    ("space", Key::Char(' ')),
];

impl Key {
    /// Whether a terminal in its usual mode turns the key into a signal to
    /// the foreground programs (Ctrl-C, Ctrl-\, Ctrl-Z) rather than input.
    pub fn signals(self) -> bool {
        matches!(self, Key::Ctrl('c' | '\\' | 'z'))
    }

    /// Parses `Enter`, `ctrl-c`, `Ctrl+C`, `C-c`, `Up`, or a single character.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(Key::Char(c));
        }
        let lower = text.to_ascii_lowercase();
        if let Some((_, key)) = NAMES.iter().find(|(n, _)| *n == lower) {
            return Ok(*key);
        }
        let ctrl = ["ctrl-", "ctrl+", "c-", "^"].iter().find_map(|p| lower.strip_prefix(p));
        if let Some(rest) = ctrl {
            let mut chars = rest.chars();
            if let (Some(c), None) = (chars.next(), chars.next())
                && (c.is_ascii_lowercase() || "@[\\]^_".contains(c))
            {
                return Ok(Key::Ctrl(c));
            }
        }
        Err(format!(
            "unknown key \"{text}\": expected Enter, Tab, Backspace, Esc, Up, Down, Left, Right, Home, End, \
             PageUp, PageDown, Delete, Space, Ctrl-<letter>, or a single character"
        ))
    }

    /// The bytes a terminal sends for this key. Arrow keys follow the
    /// program's cursor-key mode (`application_cursor`), as a real terminal does.
    pub fn bytes(self, application_cursor: bool) -> Vec<u8> {
        let arrow = |c: u8| {
            if application_cursor {
                vec![0x1b, b'O', c]
            } else {
                vec![0x1b, b'[', c]
            }
        };
        match self {
            Key::Char(c) => c.to_string().into_bytes(),
            Key::Enter => b"\r".to_vec(),
            Key::Tab => b"\t".to_vec(),
            Key::Backspace => vec![0x7f],
            Key::Escape => vec![0x1b],
            Key::Up => arrow(b'A'),
            Key::Down => arrow(b'B'),
            Key::Right => arrow(b'C'),
            Key::Left => arrow(b'D'),
            Key::Home => arrow(b'H'),
            Key::End => arrow(b'F'),
            Key::PageUp => b"\x1b[5~".to_vec(),
            Key::PageDown => b"\x1b[6~".to_vec(),
            Key::Delete => b"\x1b[3~".to_vec(),
            Key::Ctrl(c) => vec![(c.to_ascii_uppercase() as u8) & 0x1f],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_in_any_case_and_spelling() {
        assert_eq!(Key::parse("Enter"), Ok(Key::Enter));
        assert_eq!(Key::parse("ESC"), Ok(Key::Escape));
        for spelling in ["Ctrl-C", "ctrl+c", "C-c", "^C"] {
            assert_eq!(Key::parse(spelling), Ok(Key::Ctrl('c')), "{spelling}");
        }
        assert_eq!(Key::parse("y"), Ok(Key::Char('y')));
        assert_eq!(Key::parse("Space"), Ok(Key::Char(' ')));
        assert!(Key::parse("Ctrl-1").unwrap_err().contains("unknown key"));
        assert!(Key::parse("Hyper").is_err());
    }

    #[test]
    fn sends_what_a_terminal_sends() {
        assert_eq!(Key::Ctrl('c').bytes(false), [3]);
        assert_eq!(Key::Ctrl('d').bytes(false), [4]);
        assert_eq!(Key::Ctrl('[').bytes(false), [0x1b]);
        assert_eq!(Key::Up.bytes(false), b"\x1b[A");
        assert_eq!(Key::Up.bytes(true), b"\x1bOA");
        assert_eq!(Key::Enter.bytes(true), b"\r");
        assert_eq!(Key::Char('é').bytes(false), "é".as_bytes());
    }
}
