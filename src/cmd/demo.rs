//! `director demo server|client`: the two programs of the built-in TCP demo.

use std::net::SocketAddr;
use std::time::Duration;

use crate::demo::{self, DEFAULT_ADDR};
use crate::error::{Error, Failure};

/// Arguments of `director demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub peer: Peer,
}

/// Which side of the conversation to run.
#[derive(Debug, clap::Subcommand)]
pub enum Peer {
    /// Listen, accept one client, exchange a greeting, hold the connection, close.
    Server {
        /// Address to listen on.
        #[arg(long, env = "DIRECTOR_DEMO_ADDR", default_value = DEFAULT_ADDR)]
        addr: SocketAddr,
        /// How long to hold the connection open before closing it.
        #[arg(long, default_value = "1s", value_parser = parse_duration)]
        hold: Duration,
    },
    /// Connect, send a greeting, print the reply, wait for the server to close.
    Client {
        /// Address of the server.
        #[arg(long, env = "DIRECTOR_DEMO_ADDR", default_value = DEFAULT_ADDR)]
        addr: SocketAddr,
    },
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::scene::duration::parse(text)
}

pub fn run(args: Args) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the async runtime", e))?;
    let mut out = std::io::stdout();
    let result = runtime.block_on(async {
        match args.peer {
            Peer::Server { addr, hold } => demo::serve(addr, hold, &mut out).await,
            Peer::Client { addr } => demo::connect(addr, &mut out).await,
        }
    });
    result.map_err(|e| Failure::Other(Box::new(e)).into())
}
