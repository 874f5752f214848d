//! The recording machine's identity never reaches a cast, and nothing else
//! a program prints is rewritten. Each test records on a machine whose
//! identity it chooses: a private UTS namespace gives the host name, a
//! private mount namespace an `/etc/passwd` with a person in it, and
//! `setpriv` makes director that person (so these tests need root).

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::*;

/// Who records: a host name, and either root or a person.
struct Machine {
    host: &'static str,
    /// `(name, uid, home)` of the person director runs as; root if `None`.
    person: Option<(&'static str, u32, &'static str)>,
}

const ALICE: Machine = Machine {
    host: "privhost-q7z3",
    person: Some(("alice", 1000, "/home/alice")),
};

const ROOT_ON_VM: Machine = Machine {
    host: "vm",
    person: None,
};

/// A cast from an earlier run, which a refused run must leave as it was.
const PREVIOUS: &str = "{\"version\":2,\"width\":80,\"height\":24}\n[0.5, \"o\", \"previous\"]\n";

struct Recording {
    output: Output,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

impl Recording {
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn cast(&self) -> Cast {
        assert_ok(&self.output);
        Cast::read(&self.out)
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap()
    }
}

impl Machine {
    /// Records `scene` (with `script` beside it as script.sh) on this
    /// machine into OUT, which holds [`PREVIOUS`] before.
    fn record(&self, scene: &str, script: &str) -> Recording {
        assert!(
            rustix::process::geteuid().is_root(),
            "these tests choose the machine's identity with namespaces and need root"
        );
        let dir = temp_dir();
        let d = dir.path();
        // The person must be able to work in the folder.
        std::fs::set_permissions(d, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
        std::fs::write(d.join("scene.toml"), scene).unwrap();
        std::fs::write(d.join("script.sh"), script).unwrap();
        let out = d.join("out.cast");
        std::fs::write(&out, PREVIOUS).unwrap();
        std::fs::set_permissions(&out, std::os::unix::fs::PermissionsExt::from_mode(0o666)).unwrap();
        let mut passwd = String::from("root:x:0:0:root:/root:/bin/sh\n");
        let become_person = match self.person {
            Some((name, uid, home)) => {
                passwd.push_str(&format!("{name}:x:{uid}:{uid}::{home}:/bin/sh\n"));
                format!("setpriv --reuid {uid} --regid {uid} --clear-groups env USER={name} LOGNAME={name} HOME={home}")
            }
            None => "env USER=root LOGNAME=root HOME=/root".to_string(),
        };
        std::fs::write(d.join("passwd"), passwd).unwrap();
        let script = format!(
            "hostname {host} && mount --bind \"$DIR/passwd\" /etc/passwd && \
             exec {become_person} \"$DIRECTOR\" record \"$DIR/scene.toml\" \"$DIR/out.cast\"",
            host = self.host
        );
        let output = Command::new("unshare")
            .args(["--uts", "--mount", "--propagation", "private", "sh", "-c", &script])
            .env("DIRECTOR", env!("CARGO_BIN_EXE_director"))
            .env("DIR", d)
            .output()
            .expect("unshare runs");
        Recording { output, out, _dir: dir }
    }
}

/// One pane running `sh script.sh`, to its end.
fn scene(privacy: &str) -> String {
    format!(
        "{privacy}[[pane]]\nname = \"app\"\nprompt = \"$ \"\n[[pane]]\nname = \"calm\"\nprompt = \"% \"\n\
         [[step]]\npane = \"app\"\nrun = \"sh script.sh\"\n[[step]]\nwait.exit = true\n"
    )
}

/// Records `scene` on this machine, as it is.
fn record_here(scene: &str) -> Cast {
    let dir = temp_dir();
    let (out, output) = record_scene(dir.path(), scene, &[]);
    assert_ok(&output);
    Cast::read(&out)
}

fn lines(cast: &Cast) -> Vec<String> {
    cast.final_screen().lines(0, 50, 0..35)
}

#[test]
fn a_persons_name_host_and_home_are_replaced_as_whole_words_only() {
    let script = concat!(
        "echo \"user=$USER host=$(hostname) home=$HOME\"\n",
        "id -un\n",
        "echo alice chalice alice_2 alice-x\n",
        "echo PRIVHOST-Q7Z3 privhost-q7z3.lan privhost-q7z3x\n",
        "echo /home/alice/src /home/alicex\n",
        "echo '{\"cwd\":\"\\/home\\/alice\"}' 'x?d=%2Fhome%2Falice'\n",
        "printf '\\033]7;file://%s%s\\007' $(hostname) $HOME\n",
        "echo done\n",
    );
    let recording = ALICE.record(&scene(""), script);
    let text = recording.text();
    for private in [
        "user=alice",
        "host=privhost",
        "PRIVHOST",
        "privhost-q7z3.lan",
        "/home/alice/",
        "%2Fhome%2Falice",
        "\\/home\\/alice",
    ] {
        assert!(!text.contains(private), "the cast contains {private:?}");
    }
    let lines = lines(&recording.cast());
    let expected = [
        "user=director host=demo home=/home/director",
        "director",
        "director chalice alice_2 alice-x",
        "demo demo.lan privhost-q7z3x",
        "/home/director/src /home/alicex",
        "{\"cwd\":\"\\/home\\/director\"} x?d=%2Fhome%2Fdirector",
        "done",
    ];
    assert_eq!(lines[1..8], expected, "{lines:#?}");
}

#[test]
fn root_on_a_host_named_vm_rewrites_nothing_but_the_host() {
    let script = "echo chroot rootfs jvm /boot/vmlinuz vm VM.local; id -u; id -un; echo $HOME\n";
    // Typed a key at a time, `vmlinuz` begins with the host name.
    let scene = scene("").replace("run = \"sh script.sh\"", "run = \"echo /boot/vmlinuz; sh script.sh\"");
    let recording = ROOT_ON_VM.record(&scene, script);
    let lines = lines(&recording.cast());
    assert_eq!(
        lines[1..6],
        [
            "/boot/vmlinuz",
            "chroot rootfs jvm /boot/vmlinuz demo demo.local",
            "0",
            "root",
            "/root"
        ],
        "{lines:#?}"
    );
}

#[test]
fn typing_a_word_that_begins_with_the_host_name_records_in_a_bash_pane() {
    // Each key's echo comes back through bash: `vm` shows on the way to
    // `vmlinuz`, and is no one's name.
    let scene = concat!(
        "[[pane]]\nname = \"app\"\nprompt = \"$ \"\nshell = \"bash\"\n",
        "[[step]]\nrun = \"echo /boot/vmlinuz; hostname\"\n[[step]]\nwait.exit = true\n",
    );
    let recording = ROOT_ON_VM.record(scene, "");
    let lines = recording.cast().final_screen().lines(0, 100, 0..35);
    assert_eq!(
        lines[..3],
        ["$ echo /boot/vmlinuz; hostname", "/boot/vmlinuz", "demo"],
        "{lines:#?}"
    );
}

/// Records a program that assembles the host name on screen; asserts the
/// recording is refused, OUT untouched, and the message names the place
/// and the kind but never the value.
fn assembled(script: &str, how: &str) {
    let recording = ALICE.record(&scene(""), script);
    let err = recording.stderr();
    assert_eq!(recording.output.status.code(), Some(1), "{how}: {err}");
    assert!(
        err.contains("pane \"app\" (screen row 2) would show the recording machine's host name"),
        "{how}: {err}"
    );
    assert!(err.contains("[privacy]") && err.contains("redact"), "{how}: {err}");
    assert!(
        !err.contains("privhost") && !err.contains("q7z3"),
        "{how}: the message shows the value: {err}"
    );
    assert_eq!(recording.text(), PREVIOUS, "{how}: OUT changed");
}

#[test]
fn a_name_assembled_by_cursor_moves_is_refused() {
    assembled("printf 'privhost\\033[1D\\033[1C-q7z3\\n'\n", "cursor moves");
}

#[test]
fn a_name_assembled_by_backspaces_is_refused() {
    assembled("printf 'privhost-q7zX\\b3\\n'\n", "a backspace");
}

#[test]
fn a_name_assembled_by_a_carriage_return_is_refused() {
    assembled("printf 'XXXXXXXX-q7z3\\rprivhost\\n'\n", "a carriage return");
}

#[test]
fn a_name_assembled_across_a_pause_is_refused() {
    assembled("printf 'privhost-'; sleep 0.8; printf 'q7z3\\n'\n", "a pause");
}

#[test]
fn a_name_split_by_a_soft_wrap_is_refused() {
    // 45 columns, then the name: it wraps at the pane's 50th column.
    assembled(
        "printf '%044d ' 0; printf 'privhost\\033[0m-q7z3\\n'\n",
        "a wrap and a colour change",
    );
}

#[test]
fn a_redact_rule_that_rewrites_a_piece_makes_it_pass() {
    let privacy = "[privacy]\nredact = [{ regex = \"privhost\", replace = \"demo\" }]\n";
    let recording = ALICE.record(&scene(privacy), "printf 'privhost\\033[1D\\033[1C-q7z3\\n'\n");
    assert_eq!(lines(&recording.cast())[1], "demo-q7z3");
}

#[test]
fn host_false_publishes_the_host_and_still_hides_the_rest() {
    let privacy = "[privacy]\nhost = false\n";
    let recording = ALICE.record(&scene(privacy), "echo $(hostname) $USER $HOME\n");
    assert_eq!(lines(&recording.cast())[1], "privhost-q7z3 director /home/director");
}

#[test]
fn a_scene_that_shows_the_host_name_itself_is_refused_before_recording() {
    let base = scene("");
    for (scene, place) in [
        (
            format!("[terminal]\ntitle = \"on privhost-q7z3\"\n{base}"),
            "the title (it is in the cast's header and the status line)",
        ),
        (
            format!("{base}[[step]]\nmarker = \"privhost-q7z3 ready\"\n"),
            "step 3 (marker, line 12): its text",
        ),
        (
            format!("{base}[[step]]\nrun = \"ssh PRIVHOST-Q7Z3 uptime; touch ran\"\n"),
            "step 3 (run, line 12): its text",
        ),
        (
            base.replacen("prompt = \"$ \"", "prompt = \"me@privhost-q7z3$ \"", 1),
            "pane \"app\": its prompt",
        ),
    ] {
        let recording = ALICE.record(&scene, "touch ran\n");
        assert_eq!(
            recording.output.status.code(),
            Some(1),
            "{place}: {}",
            recording.stderr()
        );
        assert!(
            recording
                .stderr()
                .contains(&format!("{place} holds the recording machine's host name")),
            "{}",
            recording.stderr()
        );
        assert!(!recording.stderr().to_lowercase().contains("privhost"));
        assert_eq!(recording.text(), PREVIOUS);
        assert!(!recording.out.with_file_name("ran").exists(), "{place}: something ran");
    }
}

/// Scene redaction rules: a pattern split across reads by a pause is
/// still one line; other output is untouched.
#[test]
fn a_redact_rule_finds_a_line_printed_in_pieces() {
    let scene = concat!(
        "[privacy]\nredact = [{ regex = \"pid=\\\\d+\", replace = \"pid=4242\" }]\n",
        "[[pane]]\nname = \"a\"\nprompt = \"$ \"\n",
        "[[step]]\nrun = \"echo pid=$$; printf 'partial pid='; sleep 0.1; echo $$\"\n[[step]]\nwait.exit = true\n",
    );
    let lines = record_here(scene).final_screen().lines(0, 100, 0..35);
    assert_eq!(lines[1..3], ["pid=4242", "partial pid=4242"]);
}

/// Output held back for a redact rule (bash's prompt, an unfinished line)
/// is shown at the time it came: in the frames of a pause after it, and in
/// the last frame.
#[test]
fn held_output_shows_at_its_time_not_after_a_pause() {
    let scene = concat!(
        "[privacy]\nredact = [{ regex = \"never-matches-\\\\d+\", replace = \"x\" }]\n",
        "[[pane]]\nname = \"a\"\nprompt = \"bash$ \"\nshell = \"bash\"\n",
        "[[step]]\nrun = \"echo hi\"\n[[step]]\nwait.exit = true\n[[step]]\npause = \"1s\"\n",
    );
    let cast = record_here(scene);
    let lines = cast.final_screen().lines(0, 100, 0..35);
    assert_eq!(lines.last().map(String::as_str), Some("bash$"), "{lines:#?}");
    // The prompt after `hi` is drawn before the pause, not at its end.
    let hi = cast.time_of("hi\r\n");
    let prompt = cast
        .events
        .iter()
        .filter(|e| e.1 == "o" && e.0 >= hi && e.2.contains("bash$"))
        .map(|e| e.0)
        .next()
        .expect("a prompt after hi");
    assert!(
        prompt < cast.end() - 0.9,
        "the prompt came at {prompt} s, the cast ends at {}",
        cast.end()
    );
}
