//! The project root: the directory a run reads references from, and never reads past.
//!
//! A pull request controls every file in the repository, so a file that names another file
//! (a configuration's `rules:`, a rule file's `extends:`, a campaign's `account:`) could
//! otherwise make wabalint open `/proc/self/environ` or `../../.ssh/id_rsa` and quote it into a
//! public CI log. Every such reference must resolve — after `..` and symbolic links — inside
//! the root; one that does not is refused with the same message whether or not it exists.

use std::path::{Component, Path, PathBuf};

/// How the root was chosen, as the summary names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// `--root DIR`.
    Given,
    /// The directory of the configuration file.
    Config,
    /// The root of the git work tree the working directory is in.
    Git,
    /// The working directory.
    WorkingDirectory,
}

/// The project root of a run.
#[derive(Clone, Debug)]
pub struct Root {
    /// Absolute, with symbolic links resolved.
    real: PathBuf,
    /// As reports show it: relative to the working directory (`.` when it is the working
    /// directory).
    shown: String,
    pub found: Found,
}

/// A reference that leads outside the root (or nowhere wabalint may look).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outside;

impl Root {
    /// A root at `dir` (resolved against the working directory `cwd`).
    pub fn at(dir: &Path, cwd: &Path, found: Found) -> Root {
        let real = cwd
            .join(dir)
            .canonicalize()
            .unwrap_or_else(|_| real_path(&cwd.join(dir)));
        let shown = shown_from(&real, &real_path(cwd));
        Root { real, shown, found }
    }

    /// The root where no configuration names one: the git work tree the working directory is
    /// in, else the working directory.
    pub fn discover(cwd: &Path) -> Root {
        match git_work_tree(cwd) {
            Some(dir) => Root::at(&dir, cwd, Found::Git),
            None => Root::at(cwd, cwd, Found::WorkingDirectory),
        }
    }

    /// The root directory, absolute and without symbolic links.
    pub fn path(&self) -> &Path {
        &self.real
    }

    /// The root as reports name it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Whether `path` (relative to the working directory, or absolute) leads inside the root,
    /// after `..` and symbolic links; nothing outside the root is looked at to tell.
    pub fn contains(&self, path: &Path) -> bool {
        let absolute = std::env::current_dir().unwrap_or_default().join(path);
        resolve_within(&absolute, &self.real).is_ok_and(|p| p.starts_with(&self.real))
    }

    /// `reference`, written in a file in directory `base`, as a path to open: `Err` when it
    /// leads outside the root, whether or not it exists. The path keeps the form it was
    /// written in (joined to `base`), so messages show what the user wrote.
    pub fn resolve(&self, base: &Path, reference: &str) -> Result<PathBuf, Outside> {
        let joined = base.join(reference);
        let absolute = std::env::current_dir().unwrap_or_default().join(&joined);
        let real = resolve_within(&absolute, &self.real).map_err(|_| Outside)?;
        // `.git` is not the project's either: a checkout keeps its token in `.git/config`.
        let below = real.strip_prefix(&self.real).map_err(|_| Outside)?;
        if reference.is_empty() || below.components().any(|c| c.as_os_str() == ".git") {
            return Err(Outside);
        }
        Ok(joined)
    }

    /// The sentence that refuses a reference, the same whether or not the file exists.
    pub fn refusal(&self, reference: &str) -> String {
        format!(
            "`{}` leads outside the project root `{}` (or into its `.git`); wabalint reads only the project's own files",
            crate::render::escape_controls(reference, &[]),
            crate::render::escape_controls(&self.shown, &[])
        )
    }

    /// The help that goes with [`Root::refusal`].
    pub fn refusal_help(&self) -> String {
        "move the file into the project, or widen the project root with `--root DIR` on the \
         command line (a file in the repository cannot)"
            .to_string()
    }
}

/// The nearest directory at or above `start` that holds `.git` (a directory, or the file a
/// linked work tree or submodule has).
pub fn git_work_tree(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

/// `path` (relative to the working directory, or absolute) with symbolic links resolved where it exists and `.`/`..` applied to the
/// rest as written: where a file that does not exist would be.
pub fn real_path(path: &Path) -> PathBuf {
    resolve_within(path, Path::new("/")).unwrap_or_else(|e| e.0)
}

/// [`real_path`], but nothing outside `within` is looked at: the first step that leads out of
/// it ends the resolution with `Err` (the path so far). So whether a reference leads outside
/// cannot depend on what exists outside — a link to a missing file and a link to an existing
/// one are refused alike.
pub fn resolve_within(path: &Path, within: &Path) -> Result<PathBuf, Escaped> {
    let absolute;
    let path = if path.is_absolute() {
        path
    } else {
        absolute = std::env::current_dir().unwrap_or_default().join(path);
        &absolute
    };
    let mut pending: Vec<std::ffi::OsString> = Vec::new();
    let mut out = PathBuf::new();
    let push_parts = |p: &Path, pending: &mut Vec<std::ffi::OsString>| {
        for c in p.components().rev() {
            pending.push(c.as_os_str().to_os_string());
        }
    };
    push_parts(path, &mut pending);
    let mut hops = 0;
    while let Some(part) = pending.pop() {
        let part = Path::new(&part);
        match part.components().next() {
            Some(Component::Prefix(_) | Component::RootDir) => out.push(part),
            Some(Component::CurDir) | None => {}
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::Normal(_)) => {
                out.push(part);
                let near = out.starts_with(within) || within.starts_with(&out);
                if !near {
                    return Err(Escaped(out));
                }
                let Ok(link) = std::fs::read_link(&out) else {
                    continue;
                };
                hops += 1;
                if hops > 40 {
                    return Err(Escaped(out));
                }
                out.pop();
                push_parts(&link, &mut pending);
            }
        }
    }
    if !out.starts_with(within) && !within.starts_with(&out) {
        return Err(Escaped(out));
    }
    Ok(out)
}

/// Where a resolution stopped because it left the directory it was confined to.
#[derive(Debug)]
pub struct Escaped(pub PathBuf);

/// `path` with `.` and `..` applied as written, links left as they are: the name a file has
/// in the repository.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` as messages show it: relative to the working directory when it is near it (`../x`).
pub fn shown_from_cwd(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    if path.is_relative() {
        return crate::source::shown_path(path);
    }
    crate::render::escape_controls(&shown_from(&lexical(path), &cwd), &[]).into_owned()
}

/// `path` relative to `from` (both absolute and resolved), as shown to users.
fn shown_from(path: &Path, from: &Path) -> String {
    if let Ok(below) = path.strip_prefix(from) {
        let text = below.display().to_string();
        return if text.is_empty() { ".".into() } else { text };
    }
    let common = path
        .components()
        .zip(from.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common <= 1 {
        return path.display().to_string();
    }
    let up = from.components().count() - common;
    let mut out: PathBuf = std::iter::repeat_n("..", up).collect();
    out.extend(path.components().skip(common));
    out.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_confined_after_dots_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let root_dir = dir.path().join("repo");
        std::fs::create_dir_all(root_dir.join("sub")).unwrap();
        std::fs::write(dir.path().join("outside.yaml"), "x: 1").unwrap();
        std::fs::write(root_dir.join("inside.yaml"), "x: 1").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("outside.yaml"), root_dir.join("link.yaml"))
            .unwrap();
        let root = Root::at(&root_dir, &root_dir, Found::Given);
        let base = root_dir.join("sub");
        assert!(root.resolve(&base, "../inside.yaml").is_ok());
        assert!(root.resolve(&base, "missing/../../inside.yaml").is_ok());
        assert_eq!(root.resolve(&base, "../../outside.yaml"), Err(Outside));
        assert_eq!(root.resolve(&base, "../../missing.yaml"), Err(Outside));
        assert_eq!(root.resolve(&base, "missing/../../../x"), Err(Outside));
        assert_eq!(root.resolve(&base, "/etc/passwd"), Err(Outside));
        assert_eq!(root.resolve(&base, "/proc/self/environ"), Err(Outside));
        std::fs::create_dir_all(root_dir.join(".git")).unwrap();
        std::fs::write(root_dir.join(".git/config"), "[credential]").unwrap();
        assert_eq!(root.resolve(&base, "../.git/config"), Err(Outside));
        #[cfg(unix)]
        {
            assert_eq!(root.resolve(&base, "../link.yaml"), Err(Outside));
            // A chain of links inside the root to a missing file outside it is refused like
            // one to an existing file: what exists outside is never looked at.
            let outside = |name: &str| dir.path().join(name);
            std::os::unix::fs::symlink(outside("missing.yaml"), root_dir.join("hop2.yaml"))
                .unwrap();
            std::os::unix::fs::symlink(root_dir.join("hop2.yaml"), root_dir.join("hop1.yaml"))
                .unwrap();
            std::os::unix::fs::symlink(outside("outside.yaml"), root_dir.join("hop4.yaml"))
                .unwrap();
            std::os::unix::fs::symlink(root_dir.join("hop4.yaml"), root_dir.join("hop3.yaml"))
                .unwrap();
            assert_eq!(root.resolve(&base, "../hop1.yaml"), Err(Outside));
            assert_eq!(root.resolve(&base, "../hop3.yaml"), Err(Outside));
            std::os::unix::fs::symlink(root_dir.join("loop.yaml"), root_dir.join("loop.yaml"))
                .unwrap();
            assert_eq!(root.resolve(&base, "../loop.yaml"), Err(Outside));
            std::os::unix::fs::symlink("inside.yaml", root_dir.join("rel.yaml")).unwrap();
            assert!(root.resolve(&base, "../rel.yaml").is_ok());
        }
    }

    #[test]
    fn roots_are_shown_relative_to_the_working_directory() {
        assert_eq!(shown_from(Path::new("/a/b"), Path::new("/a/b")), ".");
        assert_eq!(shown_from(Path::new("/a/b/c"), Path::new("/a/b")), "c");
        assert_eq!(shown_from(Path::new("/a"), Path::new("/a/b/c")), "../..");
        assert_eq!(shown_from(Path::new("/x/y"), Path::new("/a/b")), "/x/y");
    }
}
