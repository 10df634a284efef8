//! What can stop a sandbox from starting.

use std::path::PathBuf;

/// Why the sandbox could not start (or could not read its configuration).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The spec did not load.
    #[error("the PayerMax spec did not load:\n{0}")]
    Spec(String),
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}; choose another port (0 picks a free one)")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The state file could not be read or written.
    #[error("state file {}: {message}", path.display())]
    State {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A configuration value is wrong.
    #[error("configuration: {0}")]
    Config(String),
    /// A key could not be read or generated.
    #[error("{what}: {source}")]
    Key {
        /// Which key.
        what: String,
        /// What is wrong with it.
        source: payermax_runtime::KeyError,
    },
    /// The runtime for the command-line entry could not be built, or waiting for Ctrl-C failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}
