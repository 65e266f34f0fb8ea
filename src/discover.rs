//! The files of a run: paths as given, directories walked. A walk skips hidden and git-ignored
//! paths, but counts every file named like a manifest that it passes over, and reads only the
//! `.gitignore` files inside the project root: ignore files elsewhere on the machine (a
//! `.gitignore` above the repository, git's global excludes, `.git/info/exclude`, `.ignore`)
//! are not part of the commit, and the same commit must give the same verdict everywhere.

use crate::project::Root;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An input: a path found on disk (explicit or walked) or stdin.
#[derive(Debug)]
pub enum Input {
    File {
        /// Shared with what the file records for checks across files.
        path: Arc<Path>,
        explicit: bool,
        /// Whether it leads inside the project root (after links): a file outside it is
        /// checked, but never quoted.
        inside: bool,
    },
    Stdin,
}

impl Input {
    /// The path reports name the input by; none for stdin.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::File { path, .. } => Some(path),
            Input::Stdin => None,
        }
    }
}

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Sorted by path (stdin last), whatever the order of the paths given: the report and
    /// which of two duplicates is blamed do not depend on it.
    pub inputs: Vec<Input>,
    /// Files named like manifests that a walk passed over: excluded, hidden, git-ignored, or
    /// symbolic links not followed.
    pub skipped: usize,
    /// Paths a walk failed on.
    pub failed: Vec<PathBuf>,
    /// Why symbolic links to manifests were not checked, for a warning.
    pub links: Vec<String>,
}

/// Whether a file's name says it could be a manifest.
pub fn is_manifest_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "yaml" | "yml")
    )
}

/// One file found, before files reached several ways are merged.
struct Found {
    path: Arc<Path>,
    explicit: bool,
    link: bool,
    real: PathBuf,
}

/// Expands paths: files as given, directories walked. `wanted(path, explicit)` says whether
/// the configuration lets a file be checked.
pub fn discover(
    paths: Vec<PathBuf>,
    root: &Root,
    wanted: impl Fn(&Path, bool) -> bool,
) -> Discovered {
    let mut out = Discovered::default();
    let mut found = Vec::new();
    let mut stdin = false;
    for path in paths {
        if path.as_os_str() == "-" {
            stdin = true;
        } else if !path.is_dir() {
            if !wanted(&path, true) {
                out.skipped += 1;
                continue;
            }
            let real = crate::project::real_path(&absolute(&path));
            found.push(Found {
                path: relative(path),
                explicit: true,
                link: false,
                real,
            });
        } else {
            walk(&path, root, &wanted, &mut found, &mut out);
        }
    }
    // Reached several ways, a file is checked once, under its most direct name: not through a
    // link, nor through a linked directory or `..`; walked before given; then the shortest and
    // first name. What the paths were and in which order they came does not change the choice.
    found.sort_unstable_by(|a, b| a.real.cmp(&b.real));
    let cwd = std::env::current_dir().unwrap_or_default();
    let rank = |f: &Found| {
        let indirect = crate::project::lexical(&cwd.join(&f.path)) != f.real;
        (
            f.link,
            indirect,
            f.explicit,
            f.path.components().count(),
            Arc::clone(&f.path),
        )
    };
    let mut inputs: Vec<Input> = Vec::with_capacity(found.len());
    for group in found.chunk_by(|a, b| a.real == b.real) {
        let best = match group {
            [only] => only,
            _ => group.iter().min_by_key(|f| rank(f)).unwrap_or(&group[0]),
        };
        inputs.push(Input::File {
            path: Arc::clone(&best.path),
            explicit: group.iter().any(|f| f.explicit),
            inside: best.real.starts_with(root.path()),
        });
    }
    inputs.sort_by(|a, b| a.path().cmp(&b.path()));
    if stdin {
        inputs.push(Input::Stdin);
    }
    inputs.shrink_to_fit();
    out.inputs = inputs;
    // Directory entries come in the file system's order: sorted, so stderr is stable too.
    out.failed.sort();
    out.links.sort();
    out
}

fn absolute(path: &Path) -> PathBuf {
    std::env::current_dir().unwrap_or_default().join(path)
}

/// A path as reports name it: without a leading `./`.
fn relative(path: PathBuf) -> Arc<Path> {
    match path.strip_prefix("./") {
        Ok(rest) => rest.into(),
        Err(_) => path.into(),
    }
}

/// The `.gitignore` files in effect at one directory of a walk, innermost last.
struct Ignores {
    /// (depth in the walk, matcher); depth 0 for the walked directory and those above it.
    stack: Vec<(usize, Gitignore)>,
    /// Whether the walked directory is inside the root (outside it, no ignore file counts).
    inside: bool,
}

impl Ignores {
    /// The ignore files from the root down to `dir` (the walked directory, absolute).
    fn new(root: &Root, dir: &Path) -> Ignores {
        let inside = dir.starts_with(root.path());
        let mut ignores = Ignores {
            stack: Vec::new(),
            inside,
        };
        if inside {
            let mut above: Vec<&Path> = dir
                .ancestors()
                .take_while(|d| d.starts_with(root.path()))
                .collect();
            above.reverse();
            for d in above {
                ignores.enter(0, d, root);
            }
        }
        ignores
    }

    /// Reads `dir/.gitignore`, if it is a regular file inside the root.
    fn enter(&mut self, depth: usize, dir: &Path, root: &Root) {
        if !self.inside {
            return;
        }
        let file = dir.join(".gitignore");
        if !root.contains(&file) {
            return;
        }
        let Ok(bytes) = crate::source::read_config(&file) else {
            return;
        };
        let mut builder = GitignoreBuilder::new(dir);
        for line in String::from_utf8_lossy(&bytes).lines() {
            let _ = builder.add_line(Some(file.clone()), line);
        }
        if let Ok(gi) = builder.build() {
            if !gi.is_empty() {
                self.stack.push((depth, gi));
            }
        }
    }

    /// Drops the ignore files of directories the walk has left: those at `depth` or deeper.
    fn leave(&mut self, depth: usize) {
        while self
            .stack
            .last()
            .is_some_and(|(d, _)| *d >= depth && *d > 0)
        {
            self.stack.pop();
        }
    }

    /// Whether `path` (absolute) is ignored: the innermost file that has a say decides.
    fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        for (_, gi) in self.stack.iter().rev() {
            match gi.matched(path, is_dir) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => {}
            }
        }
        false
    }
}

/// Walks `dir`, adding the files to check to `found` and counting what it passes over.
fn walk(
    dir: &Path,
    root: &Root,
    wanted: &impl Fn(&Path, bool) -> bool,
    found: &mut Vec<Found>,
    out: &mut Discovered,
) {
    let real_dir = crate::project::real_path(&absolute(dir));
    let mut ignores = Ignores::new(root, &real_dir);
    // Below a hidden or ignored directory (its depth), files are only counted.
    let mut passed_over: Option<usize> = None;
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .follow_links(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    let walked = relative(dir.to_path_buf());
    for entry in walker {
        let e = match entry {
            Ok(e) => e,
            Err(e) => {
                out.failed.extend(error_path(&e));
                continue;
            }
        };
        let depth = e.depth();
        if depth == 0 {
            continue;
        }
        ignores.leave(depth);
        if passed_over.is_some_and(|d| depth <= d) {
            passed_over = None;
        }
        let path = relative(e.path().to_path_buf());
        let below = path.strip_prefix(&walked).unwrap_or(&path);
        let real = real_dir.join(below);
        let is_dir = e.file_type().is_some_and(|t| t.is_dir());
        let hidden = e.file_name().to_string_lossy().starts_with('.');
        let skip = passed_over.is_some() || hidden || ignores.ignored(&real, is_dir);
        if is_dir {
            if skip {
                passed_over.get_or_insert(depth);
            } else {
                ignores.enter(depth, &real, root);
            }
            continue;
        }
        if !is_manifest_name(&path) {
            continue;
        }
        if skip || !wanted(&path, false) {
            out.skipped += 1;
            continue;
        }
        if e.path_is_symlink() {
            match linked_file(&path, &real_dir) {
                Ok(target) => found.push(Found {
                    path,
                    explicit: false,
                    link: true,
                    real: target,
                }),
                Err(why) => {
                    out.skipped += 1;
                    let name = crate::source::shown_path(&path);
                    out.links.push(format!("`{name}` {why}"));
                }
            }
            continue;
        }
        if e.file_type().is_some_and(|t| t.is_file()) {
            found.push(Found {
                path,
                explicit: false,
                link: false,
                real,
            });
        } else {
            // A FIFO, socket or device: not read.
            out.skipped += 1;
        }
    }
}

/// A symbolic link found in a walk is checked when it points to a regular file inside the
/// walked directory. Followed outside it, a link committed to a repository could show any file
/// of the machine (a CI runner's credentials) in the report.
/// Whether it leads outside is decided before anything outside is looked at, so the warning
/// does not tell whether a file exists there.
fn linked_file(link: &Path, root: &Path) -> Result<PathBuf, String> {
    let target = crate::project::resolve_within(link, root)
        .ok()
        .filter(|t| t.starts_with(root))
        .ok_or_else(|| {
            "is a symbolic link that leads outside the directory being checked, or in a loop (name it on the command line to check it)".to_string()
        })?;
    match std::fs::metadata(&target) {
        Ok(m) if m.is_file() => Ok(target),
        Ok(_) => Err("is a symbolic link to something other than a regular file".into()),
        Err(_) => Err("is a symbolic link that cannot be followed (dangling)".into()),
    }
}

fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}
