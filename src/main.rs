//! The `wabalint` command: a thin shell over the library.

mod cli;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings (its `malloc_conf`, a C string):
/// - one arena per CPU instead of four, so the few long-lived values of a large run (records,
///   diagnostics) are not spread over the partly used pages of one arena per thread;
/// - freed pages returned to the system after 0.1 s instead of 10 s, as a run is short.
///
/// 100,000 files: peak RSS 134 → 122 MB (arenas) and −1.6 MB (pages), for 6 % more minor page
/// faults and no measurable time. Linux only: elsewhere jemalloc cannot tell which CPU a thread
/// runs on, and says so on every start.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: &u8 = &b"percpu_arena:percpu,dirty_decay_ms:100\0"[0];

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::run())
}
