//! The `wabalint` command: a thin shell over the library.

mod cli;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings (its `malloc_conf`, a C string): one arena per CPU instead of four, so
/// the few long-lived records of a large run are not spread over the partly used pages of one
/// arena per thread (100,000 files: 134 → 122 MB peak, same time). Linux only: elsewhere
/// jemalloc cannot tell which CPU a thread runs on, and says so on every start.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: &u8 = &b"percpu_arena:percpu\0"[0];

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::run())
}
