//! The environment of a pane's programs. It is built from a few of
//! director's own variables, not from all of them, so that `env` in a pane
//! publishes no credential (a token, a key) that director happens to have;
//! a scene passes more by name with `inherit`.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use crate::scene::Inherit;

/// Director's variables that every program gets as they are: who and where
/// the user is (the output is redacted elsewhere), the locale (with every
/// `LC_*`), the time zone and the build date.
const PASSED: &[&str] = &["HOME", "USER", "LOGNAME", "LANG", "TZ", "SOURCE_DATE_EPOCH"];

/// Variables that describe the recording machine's terminal or session and
/// would confuse a program in a pane: `inherit = true` leaves them out
/// (naming one in `inherit` passes it).
const TERMINAL_VARS: &[&str] = &[
    "TMUX",
    "TMUX_PANE",
    "STY",
    "WINDOWID",
    "TERM_PROGRAM",
    "TERM_PROGRAM_VERSION",
    "TERM_SESSION_ID",
    "COLORTERM",
    "COLUMNS",
    "LINES",
    "VTE_VERSION",
    "KONSOLE_VERSION",
    "ITERM_SESSION_ID",
    "WT_SESSION",
    "SSH_CLIENT",
    "SSH_CONNECTION",
    "SSH_TTY",
    "DISPLAY",
    "WAYLAND_DISPLAY",
];

/// What pane environments are drawn from: director's own environment and
/// the folder of the running binary, read once, when a recording starts.
#[derive(Debug, Clone, Default)]
pub struct DirectorEnv {
    pub vars: Vec<(OsString, OsString)>,
    pub bin_dir: Option<PathBuf>,
}

impl DirectorEnv {
    /// Director's environment and binary, now.
    pub fn current() -> Self {
        Self {
            vars: std::env::vars_os().collect(),
            bin_dir: std::env::current_exe()
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf)),
        }
    }

    fn get(&self, name: &str) -> Option<&OsStr> {
        self.vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_os_str())
    }

    /// `PATH` leading first to the running binary, so that `director …`
    /// typed in a scene runs this very build.
    fn path(&self) -> Option<OsString> {
        let mut dirs: Vec<PathBuf> = self.bin_dir.iter().cloned().collect();
        if let Some(path) = self.get("PATH") {
            dirs.extend(std::env::split_paths(path));
        }
        // A folder whose name holds `:` cannot lead the list.
        std::env::join_paths(dirs)
            .ok()
            .or_else(|| self.get("PATH").map(OsStr::to_owned))
            .filter(|p| !p.is_empty())
    }
}

/// A pane program's whole environment, each layer over the ones before:
/// what `inherit` passes of director's; `PATH` (this binary's folder
/// first), then `HOME`, `USER`, `LOGNAME`, `LANG`, every `LC_*`, `TZ` and
/// `SOURCE_DATE_EPOCH` as director has them; `own`, what director sets for
/// the pane (`SHELL`, bash's prompt); `env`, the scene's and the pane's; and
/// last `TERM`, always the scene's.
pub fn build(
    director: &DirectorEnv,
    inherit: &Inherit,
    own: impl IntoIterator<Item = (OsString, OsString)>,
    env: &[(String, String)],
    term: &str,
) -> Vec<(OsString, OsString)> {
    let mut out: BTreeMap<OsString, OsString> = director
        .vars
        .iter()
        .filter(|(name, _)| inherits(inherit, name))
        .cloned()
        .collect();
    out.extend(director.path().map(|path| ("PATH".into(), path)));
    out.extend(
        director
            .vars
            .iter()
            .filter(|(name, _)| PASSED.iter().any(|p| name == p) || name.as_encoded_bytes().starts_with(b"LC_"))
            .cloned(),
    );
    out.extend(own);
    out.extend(env.iter().map(|(k, v)| (k.into(), v.into())));
    out.insert("TERM".into(), term.into());
    out.into_iter().collect()
}

fn inherits(inherit: &Inherit, name: &OsStr) -> bool {
    match inherit {
        Inherit::Names(names) => names.iter().any(|n| name == n.as_str()),
        Inherit::All => !TERMINAL_VARS.iter().any(|t| name == *t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn director() -> DirectorEnv {
        let vars = [
            ("PATH", "/usr/bin:/bin"),
            ("HOME", "/home/someone"),
            ("USER", "someone"),
            ("LANG", "C.UTF-8"),
            ("LC_TIME", "en_GB.UTF-8"),
            ("LCX", "not a locale"),
            ("TERM", "screen"),
            ("SHELL", "/bin/zsh"),
            ("TMUX", "/tmp/tmux-1/default,1,0"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("GREETING", "hello"),
        ];
        DirectorEnv {
            vars: vars.iter().map(|(k, v)| (k.into(), v.into())).collect(),
            bin_dir: Some("/opt/director/bin".into()),
        }
    }

    fn names(env: &[(OsString, OsString)]) -> Vec<&str> {
        env.iter().map(|(k, _)| k.to_str().unwrap()).collect()
    }

    fn value<'e>(env: &'e [(OsString, OsString)], name: &str) -> Option<&'e str> {
        env.iter().find(|(k, _)| k == name).map(|(_, v)| v.to_str().unwrap())
    }

    #[test]
    fn by_default_only_the_few_pass_and_path_leads_to_the_binary() {
        let env = build(&director(), &Inherit::default(), [], &[], "xterm-256color");
        assert_eq!(names(&env), ["HOME", "LANG", "LC_TIME", "PATH", "TERM", "USER"]);
        assert_eq!(value(&env, "PATH"), Some("/opt/director/bin:/usr/bin:/bin"));
        assert_eq!(value(&env, "TERM"), Some("xterm-256color"));
    }

    #[test]
    fn inherit_passes_names_or_all_but_the_terminals_own() {
        let some = Inherit::Names(vec!["GREETING".into(), "TMUX".into(), "MISSING".into()]);
        let env = build(&director(), &some, [], &[], "vt100");
        assert_eq!(value(&env, "GREETING"), Some("hello"));
        assert!(value(&env, "TMUX").is_some(), "a name passes even a terminal variable");
        assert!(value(&env, "MISSING").is_none() && value(&env, "AWS_SECRET_ACCESS_KEY").is_none());

        let env = build(&director(), &Inherit::All, [], &[], "vt100");
        assert_eq!(value(&env, "AWS_SECRET_ACCESS_KEY"), Some("secret"));
        assert_eq!(value(&env, "LCX"), Some("not a locale"));
        assert_eq!(value(&env, "TMUX"), None);
        // Computed variables win over director's own.
        assert_eq!(value(&env, "PATH"), Some("/opt/director/bin:/usr/bin:/bin"));
        assert_eq!(value(&env, "TERM"), Some("vt100"));
    }

    #[test]
    fn each_layer_wins_over_the_ones_before() {
        let own = [("SHELL".into(), "/bin/sh".into()), ("PS1".into(), "$ ".into())];
        let env = [
            ("GREETING".to_string(), "from the scene".to_string()),
            ("PS1".to_string(), "> ".to_string()),
            ("HOME".to_string(), "/home/demo".to_string()),
        ];
        let out = build(&director(), &Inherit::All, own, &env, "vt100");
        assert_eq!(value(&out, "SHELL"), Some("/bin/sh"));
        assert_eq!(value(&out, "GREETING"), Some("from the scene"));
        assert_eq!(value(&out, "PS1"), Some("> "));
        assert_eq!(value(&out, "HOME"), Some("/home/demo"));
    }

    #[test]
    fn without_a_path_or_a_binary_folder_there_is_no_path() {
        let bare = DirectorEnv::default();
        let env = build(&bare, &Inherit::default(), [], &[], "vt100");
        assert_eq!(names(&env), ["TERM"]);
    }
}
