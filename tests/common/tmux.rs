//! A tmux server of the test's own, the reference terminal.

use std::path::PathBuf;
use std::process::Command;

use director::geometry::Size;
use director::screen::layout::{PaneSize, Side, SplitOf};

/// A tmux server of its own, on a private socket, ended on drop.
pub struct Tmux {
    dir: tempfile::TempDir,
    config: PathBuf,
}

impl Tmux {
    pub fn new() -> Self {
        Self::with_config("")
    }

    /// A server that reads `config` as it starts.
    pub fn with_config(config: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tmux.conf");
        std::fs::write(&path, config).unwrap();
        Self { dir, config: path }
    }

    /// The server's own folder, removed with it.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("sock")
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-u")
            .arg("-S")
            .arg(self.socket())
            .arg("-f")
            .arg(&self.config)
            .args(args)
            .output()
            .expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs `script` (sh) in a new pane of `size` and waits for its end.
    pub fn pane(&self, size: Size, script: &str) {
        let sock = self.socket();
        let command = format!("{script}; tmux -S {} wait-for -S done; sleep 60", sock.display());
        let (cols, rows) = (size.cols.to_string(), size.rows.to_string());
        self.run(&["new-session", "-d", "-x", &cols, "-y", &rows, &command]);
        self.run(&["wait-for", "done"]);
    }

    /// `split-window` of the pane `target` as `split` says (its pane is
    /// ignored), the new pane running `sleep`; the new pane's id.
    pub fn split(&self, target: &str, split: SplitOf) -> String {
        let mut args = vec!["split-window", "-d", "-P", "-F", "#{pane_id}", "-t", target];
        args.push(match split.side {
            Side::Right | Side::Left => "-h",
            Side::Below | Side::Above => "-v",
        });
        if matches!(split.side, Side::Left | Side::Above) {
            args.push("-b");
        }
        let size = split.size.map(|s| match s {
            PaneSize::Cells(n) => n.to_string(),
            PaneSize::Fraction(f) => format!("{}%", (f * 100.0).round()),
        });
        if let Some(size) = &size {
            args.extend(["-l", size]);
        }
        args.push("sleep 600");
        self.run(&args).trim().to_string()
    }

    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(self.socket())
            .arg("kill-server")
            .output();
    }
}
