//! The two programs of the built-in TCP demo: a server that accepts one
//! client and exchanges one message with it, and the matching client.
//!
//! They reproduce the classic Python socket example line for line, so a
//! recording of `director` driving them shows the same screen. Everything is
//! written to a caller-supplied writer and flushed per line, because the
//! recorder reads the terminal while the programs are still running.

use std::fmt;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Address the demo server listens on and the demo client connects to.
pub const DEFAULT_ADDR: &str = "127.0.0.1:5000";

/// The client's only message.
const CLIENT_MESSAGE: &[u8] = b"Hello, server!";
/// The server's only reply.
const SERVER_MESSAGE: &[u8] = b"Hello, client!";
/// Read size of the original demo's `recv(1024)`.
const RECV_SIZE: usize = 1024;

/// Why a demo program stopped.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The server could not bind its address.
    #[error("cannot listen on {addr}: {}", Reason(source))]
    Listen {
        /// Address the server tried to bind.
        addr: SocketAddr,
        /// Error from the operating system.
        source: io::Error,
    },
    /// The client could not reach the server.
    #[error("cannot connect to {addr}: {}", Reason(source))]
    Connect {
        /// Address the client tried to reach.
        addr: SocketAddr,
        /// Error from the operating system.
        source: io::Error,
    },
    /// The client hung up without sending its message.
    #[error("client closed the connection before sending anything")]
    ClientSentNothing,
    /// The server hung up without replying.
    #[error("server closed the connection before replying")]
    ServerClosedEarly,
    /// Any other I/O failure, on the socket or on the output.
    #[error("cannot {action}: {source}")]
    Io {
        /// What was being done, phrased to follow "cannot".
        action: &'static str,
        /// The underlying error.
        source: io::Error,
    },
}

/// Builds a closure for `map_err` so each failure names the step that failed.
fn io_err(action: &'static str) -> impl FnOnce(io::Error) -> DemoError {
    move |source| DemoError::Io { action, source }
}

/// Explains a bind/connect failure in plain words, with a hint for the two
/// mistakes people actually make with the demo: starting the server twice,
/// or starting the client first.
struct Reason<'a>(&'a io::Error);

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.kind() {
            // std's own wording for these kinds is terser than the OS message
            // users know, and the OS message carries an "(os error N)" suffix.
            io::ErrorKind::AddrInUse => f.write_str("address already in use (is another server running?)"),
            io::ErrorKind::ConnectionRefused => f.write_str("connection refused (is the server running?)"),
            _ => fmt::Display::fmt(self.0, f),
        }
    }
}

/// Writes one line and flushes it, so whoever watches `out` sees it at once.
fn say(out: &mut impl Write, line: impl fmt::Display) -> Result<(), DemoError> {
    writeln!(out, "{line}").map_err(io_err("write output"))?;
    out.flush().map_err(io_err("write output"))
}

/// Turns received bytes into printable text; a line ending would otherwise
/// add an empty line to the screen.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim_end_matches(['\r', '\n']).to_owned()
}

/// Server: listen, accept one client, exchange one message, hold the
/// connection `hold` (1 s in the demo), close.
///
/// Prints the bound address (so port 0 shows the real port), the peer, the
/// received text and the progress of the close, one flushed line each.
pub async fn serve(addr: SocketAddr, hold: Duration, out: &mut impl Write) -> Result<(), DemoError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| DemoError::Listen { addr, source })?;
    let local = listener.local_addr().map_err(io_err("read the listening address"))?;
    say(out, format_args!("Server listening on {local}"))?;

    let (mut stream, peer) = listener.accept().await.map_err(io_err("accept a connection"))?;
    // Only one client is served; a second one should be refused rather than
    // left hanging in the backlog.
    drop(listener);
    say(out, format_args!("Connected by {peer}"))?;

    // A single read, like the original demo: the client's message is tiny and
    // sent in one write, so it arrives in one segment.
    let mut buf = [0u8; RECV_SIZE];
    let n = stream
        .read(&mut buf)
        .await
        .map_err(io_err("read the client's message"))?;
    if n == 0 {
        return Err(DemoError::ClientSentNothing);
    }
    say(out, format_args!("Received: {}", text(&buf[..n])))?;

    stream
        .write_all(SERVER_MESSAGE)
        .await
        .map_err(io_err("send the reply"))?;
    say(out, "Connection open. Waiting...")?;
    tokio::time::sleep(hold).await;

    say(out, "Closing connection.")?;
    // An explicit shutdown sends FIN after the reply, so the client sees a
    // clean end of stream instead of relying on drop order.
    stream.shutdown().await.map_err(io_err("shut down the connection"))?;
    drop(stream);
    Ok(())
}

/// Client: connect, send one message, print the reply, wait for the server
/// to close.
///
/// Returns only once the server has closed the connection, so the last line,
/// `Connection closed.`, appears after the server's hold.
pub async fn connect(addr: SocketAddr, out: &mut impl Write) -> Result<(), DemoError> {
    let mut stream = TcpStream::connect(addr)
        .await
        .map_err(|source| DemoError::Connect { addr, source })?;
    say(out, "Connected to server.")?;

    stream
        .write_all(CLIENT_MESSAGE)
        .await
        .map_err(io_err("send the message"))?;
    say(out, "Message sent.")?;

    let mut buf = [0u8; RECV_SIZE];
    let n = stream.read(&mut buf).await.map_err(io_err("read the server's reply"))?;
    if n == 0 {
        return Err(DemoError::ServerClosedEarly);
    }
    say(out, format_args!("Received: {}", text(&buf[..n])))?;

    // The server keeps the connection open for its hold; the demo is about
    // watching that, so wait for its close rather than hanging up first.
    tokio::io::copy(&mut stream, &mut tokio::io::sink())
        .await
        .map_err(io_err("wait for the server to close"))?;
    say(out, "Connection closed.")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A loopback address with a port that was free a moment ago. The server
    /// must know its port before the client starts, so port 0 won't do here.
    fn free_addr() -> SocketAddr {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
    }

    fn lines(bytes: &[u8]) -> Vec<String> {
        String::from_utf8(bytes.to_vec())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    #[tokio::test]
    async fn server_and_client_print_the_demo_lines() {
        let addr = free_addr();
        let hold = Duration::from_millis(300);
        let mut server_out = Vec::new();
        let mut client_out = Vec::new();
        let start = Instant::now();

        // `biased` polls the server first: its first poll binds (binding a
        // resolved address never waits), so the client cannot race ahead of
        // the listener.
        let (served, (connected, client_done)) = tokio::join!(
            biased;
            serve(addr, hold, &mut server_out),
            async {
                let result = connect(addr, &mut client_out).await;
                (result, start.elapsed())
            },
        );
        served.unwrap();
        connected.unwrap();

        let server = lines(&server_out);
        assert_eq!(server.len(), 5, "{server:?}");
        assert_eq!(server[0], format!("Server listening on {addr}"));
        let peer: SocketAddr = server[1]
            .strip_prefix("Connected by ")
            .expect("Connected-by line")
            .parse()
            .expect("peer address");
        assert!(peer.ip().is_loopback() && peer.port() != 0, "{peer}");
        assert_eq!(
            server[2..],
            [
                "Received: Hello, server!",
                "Connection open. Waiting...",
                "Closing connection.",
            ]
        );

        assert_eq!(
            lines(&client_out),
            [
                "Connected to server.",
                "Message sent.",
                "Received: Hello, client!",
                "Connection closed.",
            ]
        );
        assert!(client_done >= hold, "client finished after {client_done:?}");
    }

    #[tokio::test]
    async fn serve_reports_a_taken_port() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = taken.local_addr().unwrap();
        let mut out = Vec::new();

        let err = serve(addr, Duration::ZERO, &mut out).await.unwrap_err();

        assert!(matches!(err, DemoError::Listen { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("address already in use"), "{message}");
        assert!(message.contains(&addr.to_string()), "{message}");
        assert!(out.is_empty());
    }

    #[tokio::test]
    async fn connect_reports_a_missing_server() {
        let addr = free_addr();
        let mut out = Vec::new();

        let err = connect(addr, &mut out).await.unwrap_err();

        assert!(matches!(err, DemoError::Connect { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(&addr.to_string()), "{message}");
        assert!(out.is_empty());
    }

    #[tokio::test]
    async fn serve_reports_a_client_that_sends_nothing() {
        let addr = free_addr();
        let mut out = Vec::new();

        let (served, ()) = tokio::join!(biased; serve(addr, Duration::ZERO, &mut out), async {
            drop(TcpStream::connect(addr).await.unwrap());
        });

        let err = served.unwrap_err();
        assert!(matches!(err, DemoError::ClientSentNothing), "{err:?}");
        assert_eq!(err.to_string(), "client closed the connection before sending anything");
        assert_eq!(lines(&out).len(), 2, "{:?}", lines(&out));
    }
}
