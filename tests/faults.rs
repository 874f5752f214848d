//! Every way a scene's programs (or director itself) can fail gives a clear
//! message, the documented exit code, no surviving process, no temporary
//! file, and the previous OUT byte for byte.

mod common;

use std::path::PathBuf;
use std::process::Output;
use std::time::{Duration, Instant};

use common::*;

const PREVIOUS: &[u8] = b"{\"version\":2,\"width\":80,\"height\":24}\n[0.1, \"o\", \"the previous cast\"]\n";

/// A scene whose every process carries a unique mark in its environment,
/// so the test can look for survivors.
struct Fault {
    dir: tempfile::TempDir,
    mark: String,
}

impl Fault {
    fn new(name: &str) -> Self {
        let mark = format!("{name}-{}-{}", std::process::id(), free_port());
        let dir = temp_dir();
        std::fs::write(dir.path().join("out.cast"), PREVIOUS).unwrap();
        Self { dir, mark }
    }

    fn scene(&self, steps: &str) -> PathBuf {
        let text = format!(
            "[vars]\nmark = \"{}\"\n[[pane]]\nname = \"app\"\nprompt = \"$ \"\nenv = {{ FAULT_MARK = \"{{mark}}\" }}\n{steps}",
            self.mark
        );
        let path = self.dir.path().join("scene.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out.cast")
    }

    fn record(&self, steps: &str) -> Output {
        let scene = self.scene(steps);
        director()
            .args(["record", scene.to_str().unwrap(), self.out().to_str().unwrap()])
            .output()
            .unwrap()
    }

    /// Processes still alive with this fault's mark.
    fn survivors(&self) -> Vec<i32> {
        marked(&self.mark)
    }

    /// OUT untouched, no temporary file, no survivor.
    fn assert_clean(&self) {
        // Killed processes may take a moment to be gone.
        let deadline = Instant::now() + Duration::from_secs(2);
        while !self.survivors().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(self.survivors(), Vec::<i32>::new(), "processes of the scene survived");
        assert_eq!(std::fs::read(self.out()).unwrap(), PREVIOUS, "OUT changed");
        let files: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "out.cast" && n != "scene.toml")
            .collect();
        assert!(files.is_empty(), "left behind: {files:?}");
    }
}

/// Living processes whose environment holds `FAULT_MARK=mark`.
fn marked(mark: &str) -> Vec<i32> {
    let needle = format!("FAULT_MARK={mark}");
    living_processes()
        .into_iter()
        .filter(|p| p.environ.split(|b| *b == 0).any(|v| v == needle.as_bytes()))
        .map(|p| p.pid)
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Steps that leave a detached daemon and a busy child behind before failing.
const LITTER: &str = "[[step]]\nrun = \"setsid sleep 300 & sleep 300 & echo littered\"\n[[step]]\nwait.exit = true\n\
    [[step]]\nrun = \"sleep 300\"\n";

#[test]
fn command_not_found() {
    let f = Fault::new("notfound");
    let o = f.record(&LITTER.replace(
        "run = \"sleep 300\"\n",
        "run = \"no-such-program --flag\"\n[[step]]\nwait.exit = true\n",
    ));
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    // The program's own last words are on the first line.
    let first = e.lines().next().unwrap();
    assert!(
        first.starts_with(
            "error: step 3 (run, line 11) in pane \"app\": `no-such-program --flag` exited with status 127, expected 0: "
        ) && first.contains("not found"),
        "{e}"
    );
    f.assert_clean();
}

#[test]
fn unexpected_exit_status() {
    let f = Fault::new("status");
    let o = f.record(&LITTER.replace(
        "run = \"sleep 300\"\n",
        "run = \"echo failing >&2; exit 4\"\n[[step]]\nwait.exit = true\n",
    ));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("`echo failing >&2; exit 4` exited with status 4, expected 0: failing\n"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("failing"), "the pane's last lines are shown");
    f.assert_clean();
}

#[test]
fn killed_by_a_signal() {
    let f = Fault::new("signal");
    let o = f.record(&LITTER.replace(
        "run = \"sleep 300\"\n",
        "run = \"kill -SEGV $$\"\n[[step]]\nwait.exit = true\n",
    ));
    assert_eq!(o.status.code(), Some(1));
    // Nothing it printed: the line before (`littered`) is not its message.
    assert!(
        stderr(&o).contains(
            "`kill -SEGV $$` was killed by SIGSEGV (a segmentation fault); add expect_exit = 139 to the step if that is expected\n"
        ),
        "{}",
        stderr(&o)
    );
    f.assert_clean();
}

#[test]
fn hangs_past_its_timeout() {
    let f = Fault::new("hang");
    let o = f.record(&format!("{LITTER}[[step]]\nwait.exit = true\ntimeout = \"300ms\"\n"));
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("step 4 (wait, line 13) in pane \"app\": timed out after 300ms waiting for its program to exit"),
        "{e}"
    );
    f.assert_clean();
}

#[test]
fn the_demo_port_is_already_taken() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = holder.local_addr().unwrap();
    let f = Fault::new("port");
    let server = format!("run = \"director demo server --addr {addr}\"\n[[step]]\nwait = \"listening\"\n");
    let o = f.record(&LITTER.replace("run = \"sleep 300\"\n", &server));
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    // Why it failed is on the first line, not only in the pane's lines below.
    let first = e.lines().next().unwrap();
    assert!(
        first.contains(&format!(
            "`director demo server --addr {addr}` exited with status 1, expected 0: "
        )) && first.contains(&format!("cannot listen on {addr}: address already in use")),
        "{e}"
    );
    f.assert_clean();
}

/// Ctrl-C ends the program, and the scene did not say it expected that.
#[test]
fn ctrl_c_without_expect_exit_says_how_to_expect_it() {
    for (pane, first) in [
        (
            "",
            "`sleep 300` was killed by SIGINT (Ctrl-C); add expect_exit = 130 to the step if that is expected",
        ),
        (
            "shell = \"bash\"\n",
            "`sleep 300` ended with status 130: killed by SIGINT (Ctrl-C); add expect_exit = 130 to the step if that is expected",
        ),
    ] {
        let f = Fault::new("ctrl-c");
        let scene_path = f.scene(
            "[[step]]\nrun = \"sleep 300\"\n[[step]]\npause = \"300ms\"\n[[step]]\nkeys = \"Ctrl-C\"\n[[step]]\nwait.exit = true\n",
        );
        let text = std::fs::read_to_string(&scene_path)
            .unwrap()
            .replacen("prompt = ", &format!("{pane}prompt = "), 1);
        std::fs::write(&scene_path, text).unwrap();
        let o = director()
            .args(["record", scene_path.to_str().unwrap(), f.out().to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1));
        let e = stderr(&o);
        assert!(e.lines().next().unwrap().ends_with(first), "{pane}: {e}");
        f.assert_clean();
    }
}

#[test]
fn help_documents_the_exit_codes() {
    let help = String::from_utf8(run(&["record", "--help"]).stdout).unwrap();
    for code in ["0 recorded", "1 a program failed", "2 the scene", "129/130/131/143"] {
        assert!(help.contains(code), "record --help lacks {code:?}");
    }
}
