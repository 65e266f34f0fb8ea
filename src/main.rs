//! The `wabalint` command: a thin shell over the library.

mod cli;

/// Checking allocates many small strings and maps per file from two threads; mimalloc does that
/// markedly faster than the system allocator (as in ruff).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::run())
}
