//! No run destroys a file: OUT is checked before anything is recorded; a
//! regular file is replaced atomically only if it is a cast (or empty, or
//! absent, or with --force); anything else that exists is written in place.
//! Each test's scene leaves a mark file when it runs, so "refused before
//! recording" is seen, not assumed.

mod common;

use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::*;

/// A scene whose one step leaves `ran` in its folder.
const SCENE: &str = "[[pane]]\nname = \"a\"\nprompt = \"$ \"\n[[step]]\nrun = \"touch ran; echo recorded-here\"\n[[step]]\nwait.exit = true\n";

struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    fn new() -> Self {
        let dir = temp_dir();
        std::fs::write(dir.path().join("scene.toml"), SCENE).unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn scene(&self) -> String {
        self.path("scene.toml").to_string_lossy().into_owned()
    }

    fn ran(&self) -> bool {
        self.path("ran").exists()
    }

    /// The names in the folder, sorted.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_lone_scene_path_is_refused_with_a_hint_and_kept() {
    let f = Folder::new();
    for name in ["demo.toml", "demo.JSON"] {
        let path = f.path(name);
        std::fs::write(&path, SCENE).unwrap();
        let o = run(&["record", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let cast = path.with_extension("cast");
        assert!(
            stderr(&o).contains(&format!(
                "did you mean: director record {} {}?",
                path.display(),
                cast.display()
            )),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), SCENE, "the scene was touched");
    }
    // Named like something else but holding a scene: refused all the same.
    let disguised = f.path("scene.txt");
    std::fs::write(&disguised, SCENE).unwrap();
    let o = run(&["record", "--force", disguised.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&disguised).unwrap(), SCENE);
    assert!(!f.ran(), "something was recorded");
}

#[test]
fn a_file_that_is_not_a_cast_is_replaced_only_with_force() {
    let f = Folder::new();
    let out = f.path("notes.txt");
    std::fs::write(&out, "my notes\n").unwrap();
    let o = run(&["record", &f.scene(), out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is not an asciicast") && stderr(&o).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my notes\n");
    assert!(!f.ran(), "refused only after recording");
    // The scene file is never OUT, even with --force.
    let o = run(&["record", "--force", &f.scene(), &f.scene()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(f.path("scene.toml")).unwrap(), SCENE);
    assert!(!f.ran());

    let o = run(&["record", "--force", &f.scene(), out.to_str().unwrap()]);
    assert_ok(&o);
    assert!(Cast::read(&out).output().contains("recorded-here"));
    // A cast is replaced without --force.
    let o = run(&["record", &f.scene(), out.to_str().unwrap()]);
    assert_ok(&o);
    assert_eq!(f.names(), ["notes.txt", "ran", "scene.toml"], "a stray file was left");
}

#[test]
fn a_directory_or_a_missing_folder_is_refused_before_recording() {
    let f = Folder::new();
    let subdir = f.path("casts");
    std::fs::create_dir(&subdir).unwrap();
    for out in [subdir.clone(), f.path("missing/out.cast")] {
        let o = run(&["record", &f.scene(), out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(!f.ran(), "{} was refused only after recording", out.display());
    }
    assert!(subdir.is_dir());
    assert_eq!(std::fs::read_dir(&subdir).unwrap().count(), 0);
}

/// As root, permissions do not stop a write: a read-only mount does, in a
/// private mount namespace (`unshare -m`).
fn as_root() {
    assert!(
        rustix::process::geteuid().is_root(),
        "these tests use private mount namespaces (unshare -m) and need root"
    );
}

/// Runs a shell script in a private mount namespace, with `$DIRECTOR` the
/// binary under test and `$SCENE` the scene.
fn in_namespace(f: &Folder, script: &str) -> Output {
    as_root();
    Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", script])
        .env("DIRECTOR", env!("CARGO_BIN_EXE_director"))
        .env("SCENE", f.scene())
        .env("DIR", f.dir.path())
        .output()
        .expect("unshare runs")
}

#[test]
fn a_read_only_folder_is_refused_before_recording() {
    let f = Folder::new();
    let o = in_namespace(
        &f,
        "mkdir \"$DIR/ro\" && mount -t tmpfs -o ro tmpfs \"$DIR/ro\" && \"$DIRECTOR\" record \"$SCENE\" \"$DIR/ro/out.cast\"",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("Read-only file system"), "{}", stderr(&o));
    assert!(!f.ran());
}

/// A private `/dev` with its own `null` and `full` (character devices on a
/// tmpfs, where a rename over them would succeed) and the machine's PTYs.
const PRIVATE_DEV: &str = "mkdir \"$DIR/dev\" && mount --rbind /dev \"$DIR/dev\" && mount -t tmpfs tmpfs /dev && \
    mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/full c 1 7 && mkdir /dev/pts && \
    mount --rbind \"$DIR/dev/pts\" /dev/pts && ln -s pts/ptmx /dev/ptmx && ";

#[test]
fn dev_null_stays_a_device_and_dev_full_is_an_error() {
    let f = Folder::new();
    let o = in_namespace(
        &f,
        &format!(
            "{PRIVATE_DEV} \"$DIRECTOR\" record \"$SCENE\" /dev/null; echo null=$?; stat -c %F /dev/null; \
             \"$DIRECTOR\" record \"$SCENE\" /dev/full; echo full=$?; stat -c %F /dev/full"
        ),
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("null=0\ncharacter special file\n"),
        "{stdout}{}",
        stderr(&o)
    );
    assert!(
        stdout.contains("full=1\ncharacter special file\n"),
        "{stdout}{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("cannot write /dev/full: No space left on device"),
        "{}",
        stderr(&o)
    );
    // Nothing was left in the folder of /dev either.
    assert_eq!(f.names(), ["dev", "ran", "scene.toml"]);
}

#[test]
fn a_fifo_is_streamed_to_its_reader() {
    let f = Folder::new();
    let fifo = f.path("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let o = run(&["record", &f.scene(), fifo.to_str().unwrap()]);
    assert_ok(&o);
    let cast = Cast::parse(&reader.join().unwrap());
    assert!(cast.output().contains("recorded-here"));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn dev_stdout_is_standard_output_whatever_it_is() {
    let f = Folder::new();
    // A pipe.
    let o = run(&["record", "--quiet", &f.scene(), "/dev/stdout"]);
    assert_ok(&o);
    assert!(
        Cast::parse(&String::from_utf8(o.stdout).unwrap())
            .output()
            .contains("recorded-here")
    );
    // A regular file the shell opened: written through the descriptor.
    let file = f.path("redirected.cast");
    let o = director()
        .args(["record", "--quiet", &f.scene(), "/dev/stdout"])
        .stdout(std::fs::File::create(&file).unwrap())
        .output()
        .unwrap();
    assert_ok(&o);
    assert!(Cast::read(&file).output().contains("recorded-here"));
    assert!(!std::fs::symlink_metadata("/dev/stdout").unwrap().file_type().is_file());
}

#[test]
fn a_socket_is_written_to_its_listener() {
    let f = Folder::new();
    let path = f.path("sock");
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let reader = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        text
    });
    let o = run(&["record", &f.scene(), path.to_str().unwrap()]);
    assert_ok(&o);
    assert!(Cast::parse(&reader.join().unwrap()).output().contains("recorded-here"));
    assert!(std::fs::metadata(&path).unwrap().file_type().is_socket());
}

#[test]
fn a_symlink_stays_and_its_target_is_replaced() {
    let f = Folder::new();
    std::fs::create_dir(f.path("published")).unwrap();
    let target = f.path("published/demo.cast");
    std::fs::write(&target, "").unwrap();
    let link = f.path("demo.cast");
    std::os::unix::fs::symlink(Path::new("published/demo.cast"), &link).unwrap();
    let o = run(&["record", &f.scene(), link.to_str().unwrap()]);
    assert_ok(&o);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("published/demo.cast"));
    assert!(Cast::read(&target).output().contains("recorded-here"));
    let published: Vec<_> = std::fs::read_dir(f.path("published")).unwrap().collect();
    assert_eq!(published.len(), 1, "a temporary file was left beside the target");
}

#[test]
fn standard_output_gets_nothing_from_a_failed_recording() {
    let f = Folder::new();
    std::fs::write(
        f.path("fail.toml"),
        "[[pane]]\nname = \"a\"\n[[step]]\nrun = \"echo partial; exit 3\"\n[[step]]\nwait.exit = true\n",
    )
    .unwrap();
    let o = director()
        .args(["record", f.path("fail.toml").to_str().unwrap(), "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "a failed recording wrote {} bytes", o.stdout.len());
}
