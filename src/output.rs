//! Where a cast goes, decided before anything is recorded, so that no run
//! can destroy a file.
//!
//! In: OUT as the command line gives it, `--force`, and the scene file's
//! path. Out: an [`Output`] checked before recording (or an
//! [`OutputError`] saying why OUT cannot be written), whose [`Output::sink`]
//! takes the cast while it is recorded and whose [`Output::commit`] puts
//! the finished cast in place.
//!
//! - A regular file (absent, empty, or already an asciicast) is replaced
//!   atomically: the cast is written to a temporary file beside it, created
//!   before the recording starts (which proves the folder writable), and
//!   renamed into place only when the recording succeeded. A symlink is
//!   followed: its target is replaced and the link stays.
//! - An existing file that is not a cast is never overwritten without
//!   `--force`, and the scene file never.
//! - Anything else that exists — standard output (`-`, `/dev/stdout`), a
//!   character device, a FIFO, a socket — is written in place, never
//!   renamed over, once the recording succeeded; a failed recording writes
//!   nothing to it.
//! - A directory, or a folder that does not exist or cannot be written, is
//!   refused before the recording starts.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::signals;

/// How many symlinks are followed before giving up, as the kernel does.
const MAX_LINKS: usize = 40;
/// How much of an existing file is read to tell whether it is a cast.
const HEADER_MAX: u64 = 64 * 1024;
/// How often a FIFO without a reader is tried again.
const FIFO_POLL: Duration = Duration::from_millis(20);
/// The mode of a new cast: it is meant to be shared.
const NEW_MODE: u32 = 0o644;

/// Why OUT cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path} is a directory: give a file name, e.g. {path}/out.cast", path = .0.display())]
    Directory(PathBuf),
    #[error("cannot write {path}: the folder {dir} does not exist", path = .path.display(), dir = .dir.display())]
    NoFolder { path: PathBuf, dir: PathBuf },
    #[error("cannot write {path}: {source}", path = .path.display())]
    Unwritable { path: PathBuf, source: io::Error },
    #[error(
        "{path} exists and is not {what}; \
         refusing to overwrite it: choose another name, or pass --force to replace it",
        path = .path.display(), what = .kind.described()
    )]
    NotOurs { path: PathBuf, kind: Kind },
    #[error("{path} is the {input} itself: the output must go to another file", path = .path.display())]
    IsInput { path: PathBuf, input: &'static str },
    #[error("cannot write {path}: {source}", path = .path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("stopped while waiting for a reader of {path}", path = .0.display())]
    Stopped(PathBuf),
}

impl OutputError {
    /// Whether the problem was found before recording (the command line is
    /// at fault, exit 2) rather than when writing the finished cast (exit 1).
    pub fn before_recording(&self) -> bool {
        !matches!(self, OutputError::Write { .. } | OutputError::Stopped(_))
    }
}

/// What director writes to OUT, which tells the files it may replace
/// without `--force`: its own kind of file (or an empty one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Cast,
    Svg,
    Gif,
    Png,
}

impl Kind {
    fn described(self) -> &'static str {
        match self {
            Kind::Cast => "an asciicast (its first line is not a v2/v3 header)",
            Kind::Svg => "an SVG picture",
            Kind::Gif => "a GIF picture",
            Kind::Png => "a PNG picture",
        }
    }

    /// Whether a file starting with `head` is of this kind.
    fn is_kind(self, head: &[u8]) -> bool {
        match self {
            Kind::Cast => crate::asciicast::check::is_header(head.split(|b| *b == b'\n').next().unwrap_or_default()),
            Kind::Svg => {
                let text = String::from_utf8_lossy(head);
                let text = text.trim_start_matches('\u{feff}').trim_start();
                (text.starts_with("<svg") || text.starts_with("<?xml")) && text.contains("<svg")
            }
            Kind::Gif => head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a"),
            Kind::Png => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        }
    }
}

/// A checked OUT, ready to take a cast.
#[derive(Debug)]
pub struct Output {
    /// OUT as the user wrote it, for messages.
    shown: PathBuf,
    place: Place,
}

/// What OUT turned out to be, and how the cast will reach it.
#[derive(Debug)]
enum Place {
    /// An open descriptor (standard output): written in place.
    Fd(OwnedFd),
    /// A device, opened before the recording: written in place.
    Device(File),
    /// Opened when the cast is ready: opening a FIFO waits for its reader.
    Fifo(PathBuf),
    /// A listening Unix socket, connected to when the cast is ready.
    Socket(PathBuf),
    /// A regular file, replaced by renaming `temp` over `target`.
    File {
        /// The file to replace, symlinks followed.
        target: PathBuf,
        /// The new cast, until [`Output::sink`] hands it out.
        temp: Option<tempfile::NamedTempFile>,
        /// The permissions the cast gets: the old file's, or [`NEW_MODE`].
        mode: u32,
    },
}

/// Bytes written to the temporary file at a time: a long cast is written
/// in few calls.
const WRITE_BUFFER: usize = 256 << 10;

/// Where the cast is being written while the recording runs; given back
/// to [`Output::commit`] when it is finished.
pub enum Sink {
    /// The temporary file that will be renamed over a regular OUT.
    File(BufWriter<tempfile::NamedTempFile>),
    /// Memory, for OUT written in place (standard output, a device, a
    /// FIFO, a socket) once the recording succeeded.
    Memory(Vec<u8>),
}

impl Sink {
    /// The same place, emptied, to write the cast again from its start.
    pub fn rewind(self) -> io::Result<Self> {
        use std::io::{Seek, SeekFrom};
        match self {
            Sink::File(writer) => {
                let mut temp = writer.into_inner().map_err(io::IntoInnerError::into_error)?;
                temp.as_file().set_len(0)?;
                temp.seek(SeekFrom::Start(0))?;
                Ok(Sink::File(BufWriter::with_capacity(WRITE_BUFFER, temp)))
            }
            Sink::Memory(mut v) => {
                v.clear();
                Ok(Sink::Memory(v))
            }
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::File(w) => w.write(buf),
            Sink::Memory(v) => v.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::File(w) => w.write_all(buf),
            Sink::Memory(v) => v.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::File(w) => w.flush(),
            Sink::Memory(_) => Ok(()),
        }
    }
}

impl Output {
    /// Checks OUT and prepares to write it. `scene` is the scene file, which
    /// is never overwritten; `force` allows replacing a regular file that is
    /// not a cast.
    pub fn prepare(out: &Path, force: bool, scene: Option<&Path>) -> Result<Self, OutputError> {
        Self::prepare_for(out, force, scene.map(|s| (s, "scene file")), Kind::Cast)
    }

    /// Checks OUT, which is to take a file of `kind`, and prepares to write
    /// it. `input` (with what it is called) is never overwritten; `force`
    /// allows replacing a regular file of another kind.
    pub fn prepare_for(
        out: &Path,
        force: bool,
        input: Option<(&Path, &'static str)>,
        kind: Kind,
    ) -> Result<Self, OutputError> {
        let shown = out.to_path_buf();
        if out.as_os_str() == "-" {
            return Ok(Self {
                place: Place::Fd(stdout_fd(out)?),
                shown,
            });
        }
        let target = match resolve(out) {
            Ok(Resolved::Stdout) => {
                return Ok(Self {
                    place: Place::Fd(stdout_fd(out)?),
                    shown,
                });
            }
            Ok(Resolved::Path(p)) => p,
            Err(source) => return Err(OutputError::Unwritable { path: shown, source }),
        };
        let place = match std::fs::metadata(&target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Self::new_file(out, &target, None)?,
            Err(source) => return Err(OutputError::Unwritable { path: shown, source }),
            Ok(meta) => {
                let file_type = meta.file_type();
                if file_type.is_dir() {
                    return Err(OutputError::Directory(shown));
                }
                if let Some((input, name)) = input
                    && std::fs::metadata(input).is_ok_and(|s| (s.dev(), s.ino()) == (meta.dev(), meta.ino()))
                {
                    return Err(OutputError::IsInput {
                        path: shown,
                        input: name,
                    });
                }
                if file_type.is_file() {
                    if !force && meta.len() > 0 && !is_of(&target, kind) {
                        return Err(OutputError::NotOurs { path: shown, kind });
                    }
                    Self::new_file(out, &target, Some(meta.permissions().mode() & 0o7777))?
                } else if file_type.is_fifo() {
                    Place::Fifo(target)
                } else if file_type.is_socket() {
                    Place::Socket(target)
                } else {
                    // A character or block device: opened now, so that a
                    // device director may not write is refused at once.
                    let file =
                        OpenOptions::new()
                            .write(true)
                            .open(&target)
                            .map_err(|source| OutputError::Unwritable {
                                path: shown.clone(),
                                source,
                            })?;
                    Place::Device(file)
                }
            }
        };
        Ok(Self { shown, place })
    }

    /// A new file beside `target`, to be renamed over it: created now, so a
    /// folder that is missing or read-only fails before the recording.
    fn new_file(out: &Path, target: &Path, mode: Option<u32>) -> Result<Place, OutputError> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) | Err(_) => {
                return Err(OutputError::NoFolder {
                    path: out.to_path_buf(),
                    dir: dir.to_path_buf(),
                });
            }
        }
        let name = target
            .file_name()
            .map_or_else(|| "cast".into(), |n| n.to_string_lossy().into_owned());
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|source| OutputError::Unwritable {
                path: out.to_path_buf(),
                source,
            })?;
        Ok(Place::File {
            target: target.to_path_buf(),
            temp: Some(temp),
            mode: mode.unwrap_or(NEW_MODE),
        })
    }

    /// OUT as the user wrote it.
    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// Where to write the cast while recording: the temporary file, or
    /// memory for what is written in place at the end.
    pub fn sink(&mut self) -> Sink {
        match &mut self.place {
            Place::File { temp, .. } => match temp.take() {
                Some(temp) => Sink::File(BufWriter::with_capacity(WRITE_BUFFER, temp)),
                None => Sink::Memory(Vec::new()),
            },
            _ => Sink::Memory(Vec::new()),
        }
    }

    /// Puts the finished cast in place: renames the temporary file over a
    /// regular OUT (with its old permissions), or writes the cast kept in
    /// memory to a stream, waiting for a FIFO's reader.
    pub fn commit(self, sink: Sink) -> Result<(), OutputError> {
        let path = self.shown;
        let fail = |source: io::Error| OutputError::Write {
            path: path.clone(),
            source,
        };
        match (self.place, sink) {
            (Place::File { target, mode, .. }, Sink::File(writer)) => {
                let temp = writer.into_inner().map_err(|e| fail(e.into_error()))?;
                temp.as_file()
                    .set_permissions(std::fs::Permissions::from_mode(mode))
                    .map_err(fail)?;
                temp.as_file().sync_all().map_err(fail)?;
                temp.persist(&target).map_err(|e| fail(e.error))?;
                Ok(())
            }
            (place, Sink::Memory(bytes)) => {
                let mut writer: Box<dyn Write> = match place {
                    Place::Fd(fd) => Box::new(File::from(fd)),
                    Place::Device(file) => Box::new(file),
                    Place::Fifo(fifo) => Box::new(open_fifo(&path, &fifo)?),
                    Place::Socket(socket) => Box::new(std::os::unix::net::UnixStream::connect(socket).map_err(fail)?),
                    Place::File { .. } => return Err(fail(io::Error::other("the temporary file was lost"))),
                };
                writer.write_all(&bytes).and_then(|_| writer.flush()).map_err(fail)
            }
            (_, Sink::File(_)) => Err(fail(io::Error::other("a temporary file for a stream"))),
        }
    }
}

/// What OUT resolves to.
enum Resolved {
    Stdout,
    Path(PathBuf),
}

/// Follows symlinks from `path` to what it finally names (which need not
/// exist). Standard output by any of its names is recognised on the way:
/// `/dev/stdout` leads to `/proc/self/fd/1`, whose link text (`pipe:[…]`)
/// is not a path.
fn resolve(path: &Path) -> io::Result<Resolved> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if names_stdout(&current) {
            return Ok(Resolved::Stdout);
        }
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(Resolved::Path(current)),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Whether `path` is one of the names of standard output.
fn names_stdout(path: &Path) -> bool {
    let own = format!("/proc/{}/fd/1", std::process::id());
    matches!(
        path.to_str(),
        Some("/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" | "/proc/thread-self/fd/1")
    ) || path.to_str() == Some(own.as_str())
}

/// A descriptor of director's standard output, for OUT `-`.
fn stdout_fd(out: &Path) -> Result<OwnedFd, OutputError> {
    io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map_err(|source| OutputError::Unwritable {
            path: out.to_path_buf(),
            source,
        })
}

/// Whether a regular file starts as a file of `kind` does.
fn is_of(path: &Path, kind: Kind) -> bool {
    let Ok(file) = File::open(path) else { return false };
    let mut head = Vec::new();
    if file.take(HEADER_MAX).read_to_end(&mut head).is_err() {
        return false;
    }
    kind.is_kind(&head)
}

/// Opens a FIFO for writing, waiting for a reader (and for nothing else: a
/// stop signal ends the wait).
fn open_fifo(shown: &Path, fifo: &Path) -> Result<File, OutputError> {
    let mut told = false;
    loop {
        // Non-blocking, so the wait can be interrupted: without a reader,
        // the open fails with ENXIO instead of blocking.
        match OpenOptions::new()
            .write(true)
            .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
            .open(fifo)
        {
            Ok(file) => {
                rustix::fs::fcntl_setfl(&file, rustix::fs::OFlags::empty()).map_err(|e| OutputError::Write {
                    path: shown.to_path_buf(),
                    source: e.into(),
                })?;
                return Ok(file);
            }
            Err(e) if e.raw_os_error() == Some(rustix::io::Errno::NXIO.raw_os_error()) => {
                if signals::received().is_some() {
                    return Err(OutputError::Stopped(shown.to_path_buf()));
                }
                if !told {
                    eprintln!("waiting for a reader of the FIFO {}", shown.display());
                    told = true;
                }
                std::thread::sleep(FIFO_POLL);
            }
            Err(source) => {
                return Err(OutputError::Write {
                    path: shown.to_path_buf(),
                    source,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAST: &str = "{\"version\":2,\"width\":80,\"height\":24}\n[0.1,\"o\",\"hi\"]\n";

    fn write_through(out: &Path, force: bool) -> Result<(), OutputError> {
        let mut output = Output::prepare(out, force, None)?;
        let mut sink = output.sink();
        sink.write_all(CAST.as_bytes()).unwrap();
        output.commit(sink)
    }

    #[test]
    fn replaces_a_cast_or_nothing_and_refuses_anything_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.cast");
        write_through(&out, false).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), CAST);
        // A cast is replaced, an empty file too.
        write_through(&out, false).unwrap();
        std::fs::write(&out, "").unwrap();
        write_through(&out, false).unwrap();
        // Anything else needs --force.
        std::fs::write(&out, "notes\n").unwrap();
        assert!(matches!(write_through(&out, false), Err(OutputError::NotOurs { .. })));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "notes\n");
        write_through(&out, true).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), CAST);
        // Only OUT is left in the folder: no temporary file.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_symlink_keeps_pointing_at_its_replaced_target() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real/t.cast");
        std::fs::write(&target, CAST.replace("hi", "old")).unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.cast");
        std::os::unix::fs::symlink("real/t.cast", &link).unwrap();
        write_through(&link, false).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), CAST);
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640, "the target keeps its mode");
        // A dangling link: its target is created.
        let dangling = dir.path().join("dangling.cast");
        std::os::unix::fs::symlink("real/new.cast", &dangling).unwrap();
        write_through(&dangling, false).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("real/new.cast")).unwrap(), CAST);
    }

    #[test]
    fn a_directory_a_missing_folder_and_the_scene_are_refused_before_recording() {
        let dir = tempfile::tempdir().unwrap();
        let e = Output::prepare(dir.path(), false, None).unwrap_err();
        assert!(matches!(e, OutputError::Directory(_)) && e.before_recording());
        let e = Output::prepare(&dir.path().join("no/such/out.cast"), false, None).unwrap_err();
        assert!(matches!(e, OutputError::NoFolder { .. }) && e.before_recording());
        let scene = dir.path().join("scene.toml");
        std::fs::write(&scene, "[[pane]]\nname = \"a\"\n").unwrap();
        let e = Output::prepare(&scene, true, Some(&scene)).unwrap_err();
        assert!(matches!(e, OutputError::IsInput { .. }), "{e}");
    }

    #[test]
    fn a_fifo_is_written_in_place_to_its_reader() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        write_through(&fifo, false).unwrap();
        assert_eq!(reader.join().unwrap(), CAST);
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }
}
